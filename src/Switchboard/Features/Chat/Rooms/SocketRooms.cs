using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Chat.Messages;
using Switchboard.Realtime;

namespace Switchboard.Features.Chat.Rooms;

/// <summary>What sockets ask the chat feature: participation and unread counts, with the same rules as the room list.</summary>
public sealed class SocketRooms(AppDbContext db) : ISocketRooms
{
    public Task<bool> IsParticipantAsync(int roomId, int userId, CancellationToken ct) =>
        db.Set<ChatParticipant>().AnyAsync(p => p.RoomId == roomId && p.UserId == userId &&
            db.ProjectMembers.Any(m => m.ProjectId == p.Room.ProjectId && m.UserId == userId), ct);

    public async Task<IReadOnlyDictionary<int, RoomUnread>> UnreadByRoomAsync(int userId, CancellationToken ct)
    {
        var rooms = await Participations(userId).Select(p => p.RoomId).ToListAsync(ct);
        var counts = await RoomCounts.LoadAsync(db, rooms, [userId], ct);
        return rooms.ToDictionary(id => id, id =>
        {
            var c = counts.GetValueOrDefault((id, userId), RoomCount.Zero);
            return new RoomUnread(c.Unread, c.Mentions, c.UnreadThreads);
        });
    }

    public async Task<int?> UnreadAsync(int userId, int roomId, CancellationToken ct)
    {
        var participation = Participations(userId).Where(p => p.RoomId == roomId);
        if (!await participation.AnyAsync(ct))
        {
            return null;
        }
        return await Unread(userId, participation).Select(x => (int?)x.Count).SingleOrDefaultAsync(ct) ?? 0;
    }

    /// <summary>The user's rooms in projects they still belong to.</summary>
    private IQueryable<ChatParticipant> Participations(int userId) =>
        db.Set<ChatParticipant>().Where(p => p.UserId == userId &&
            db.ProjectMembers.Any(m => m.ProjectId == p.Room.ProjectId && m.UserId == userId));

    private IQueryable<UnreadRow> Unread(int userId, IQueryable<ChatParticipant> participations) =>
        from m in db.Set<ChatMessage>().Timeline()
        join p in participations on m.RoomId equals p.RoomId
        where m.UserId != userId
              && (p.LastReadMessageId != null ? m.Id > p.LastReadMessageId : p.LastReadAt == null || m.CreatedAt > p.LastReadAt)
        group m by m.RoomId into g
        select new UnreadRow(g.Key, g.Count());

    private sealed record UnreadRow(int RoomId, int Count);
}
