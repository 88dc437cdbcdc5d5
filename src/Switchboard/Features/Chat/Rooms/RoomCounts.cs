using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Chat.Messages;
using Switchboard.Features.Chat.Threads;

namespace Switchboard.Features.Chat.Rooms;

public sealed record RoomCount(int Unread, int Mentions, int UnreadThreads)
{
    public static readonly RoomCount Zero = new(0, 0, 0);
}

/// <summary>
/// A participant's unread, mention and unread-thread counts, for any set of rooms and users in three
/// grouped queries: the room list asks for one user and many rooms, a send for one room and the
/// users it notified.
/// </summary>
public static class RoomCounts
{
    /// <summary>Messages of the room's main timeline: no thread replies unless also sent to the room.</summary>
    public static IQueryable<ChatMessage> Timeline(this IQueryable<ChatMessage> messages) =>
        messages.Where(m => (m.ThreadRootId == null || m.AlsoSendToRoom) && !m.IsDeleted);

    public static async Task<Dictionary<(int RoomId, int UserId), RoomCount>> LoadAsync(AppDbContext db,
        IReadOnlyCollection<int> roomIds, IReadOnlyCollection<int> userIds, CancellationToken ct)
    {
        if (roomIds.Count == 0 || userIds.Count == 0)
        {
            return [];
        }
        var rooms = roomIds.ToList();
        var users = userIds.ToList();
        var participants = db.Set<ChatParticipant>().Where(p => rooms.Contains(p.RoomId) && users.Contains(p.UserId));
        var messages = db.Set<ChatMessage>();

        // The id mark when there is one; participants from before it have only the time mark.
        var unread = await (
                from p in participants
                join m in messages.Timeline() on p.RoomId equals m.RoomId
                where m.UserId != p.UserId
                      && (p.LastReadMessageId != null ? m.Id > p.LastReadMessageId : p.LastReadAt == null || m.CreatedAt > p.LastReadAt)
                group m by new { p.RoomId, p.UserId } into g
                select new { g.Key.RoomId, g.Key.UserId, Count = g.Count() })
            .ToListAsync(ct);

        // A mention in the timeline is read with the room; one in a thread reply with the thread.
        var follows = db.Set<ThreadFollow>();
        var mentions = await (
                from x in db.Set<MessageMention>()
                join p in participants on new { x.RoomId, x.UserId } equals new { p.RoomId, p.UserId }
                join m in messages on x.MessageId equals m.Id
                where !m.IsDeleted
                      && (((m.ThreadRootId == null || m.AlsoSendToRoom)
                           && (p.LastReadMessageId != null ? m.Id > p.LastReadMessageId : p.LastReadAt == null || m.CreatedAt > p.LastReadAt))
                          || (m.ThreadRootId != null && !m.AlsoSendToRoom
                              && !follows.Any(f => f.RootId == m.ThreadRootId && f.UserId == x.UserId && f.LastReadAt != null && f.LastReadAt >= m.CreatedAt)))
                group x by new { x.RoomId, x.UserId } into g
                select new { g.Key.RoomId, g.Key.UserId, Count = g.Count() })
            .ToListAsync(ct);

        var threads = await (
                from f in follows
                join p in participants on new { f.RoomId, f.UserId } equals new { p.RoomId, p.UserId }
                join r in messages on f.RootId equals r.Id
                where f.IsFollowing && r.LastReplyAt != null && (f.LastReadAt == null || r.LastReplyAt > f.LastReadAt)
                group f by new { f.RoomId, f.UserId } into g
                select new { g.Key.RoomId, g.Key.UserId, Count = g.Count() })
            .ToListAsync(ct);

        var result = new Dictionary<(int, int), RoomCount>();
        foreach (var u in unread)
        {
            result[(u.RoomId, u.UserId)] = new RoomCount(u.Count, 0, 0);
        }
        foreach (var m in mentions)
        {
            result[(m.RoomId, m.UserId)] = result.GetValueOrDefault((m.RoomId, m.UserId), RoomCount.Zero) with { Mentions = m.Count };
        }
        foreach (var t in threads)
        {
            result[(t.RoomId, t.UserId)] = result.GetValueOrDefault((t.RoomId, t.UserId), RoomCount.Zero) with { UnreadThreads = t.Count };
        }
        return result;
    }

    public static async Task<RoomCount> LoadAsync(AppDbContext db, int roomId, int userId, CancellationToken ct) =>
        (await LoadAsync(db, [roomId], [userId], ct)).GetValueOrDefault((roomId, userId), RoomCount.Zero);
}
