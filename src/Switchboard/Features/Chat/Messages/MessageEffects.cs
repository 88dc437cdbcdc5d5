using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Chat.Rooms;
using Switchboard.Features.Chat.Threads;
using Switchboard.Features.Notifications;
using Switchboard.Realtime;
using Switchboard.Realtime.Presence;

namespace Switchboard.Features.Chat.Messages;

/// <summary>Who a message mentions, resolved against the room's participants at the moment it was written.</summary>
/// <param name="Reached">Everyone the mentions reach (named, @room, @here), the author left out.</param>
public sealed record MentionPlan(List<int> UserIds, bool Room, bool Here, HashSet<int> Reached)
{
    public static MentionPlan None() => new([], false, false, []);

    public void WriteTo(ChatMessage message)
    {
        message.MentionUserIds = UserIds.Count == 0 ? null : string.Join(',', UserIds);
        message.MentionsRoom = Room;
        message.MentionsHere = Here;
    }
}

/// <summary>Who is connected now, for <c>@here</c>.</summary>
public interface IPresenceLookup
{
    Task<IReadOnlySet<int>> OnlineAsync(int roomId, IReadOnlyCollection<int> userIds, CancellationToken ct);
}

/// <summary>
/// What a message does besides being stored: mentions, the thread summary, following, notifications
/// (all in the sender's transaction), then the thread and user frames once it is committed.
/// </summary>
public sealed class MessageEffects(AppDbContext db, Notifier notifier, IRoomEvents events, IPresenceLookup presence)
{
    private readonly HashSet<int> _touched = [];
    private readonly List<(int RoomId, int RootId, ThreadSummaryDto Summary)> _threads = [];
    private int _roomId;

    /// <summary>Reads the mentions of <paramref name="content"/>: one query when it names anyone, none otherwise.</summary>
    public async Task<MentionPlan> MentionsAsync(int roomId, int authorId, string content, CancellationToken ct)
    {
        var scan = Mentions.Scan(content);
        if (scan.Candidates.Count == 0 && !scan.Room && !scan.Here)
        {
            return MentionPlan.None();
        }
        var participants = db.Set<ChatParticipant>().Where(p => p.RoomId == roomId);
        var ids = new List<int>();
        if (scan.Candidates.Count > 0)
        {
            var names = scan.Names().ToList();
            var found = await participants.Where(p => names.Contains(p.User.NormalizedUsername))
                .Select(p => new { p.User.NormalizedUsername, p.UserId }).ToDictionaryAsync(p => p.NormalizedUsername, p => p.UserId, ct);
            ids = Mentions.Resolve(scan, found);
        }
        var reached = ids.ToHashSet();
        if (scan.Room || scan.Here)
        {
            var everyone = await participants.Select(p => p.UserId).ToListAsync(ct);
            if (scan.Room)
            {
                reached.UnionWith(everyone);
            }
            else
            {
                reached.UnionWith(await presence.OnlineAsync(roomId, everyone, ct));
            }
        }
        reached.Remove(authorId);
        return new MentionPlan(ids, scan.Room, scan.Here, reached);
    }

    /// <summary>
    /// Inside the send's transaction, after the message row is written: mention rows, the root's
    /// summary, following and the notifications, all through <paramref name="tx"/>, the context
    /// whose transaction the send is in (on SQLite the group-commit writer's, not this scope's).
    /// </summary>
    public async Task ApplySendAsync(AppDbContext tx, ChatMessage message, RoomAccess access, MentionPlan mentions, CancellationToken ct)
    {
        _roomId = message.RoomId;
        var now = message.CreatedAt;
        AddMentions(tx, message, mentions.Reached);
        var notified = new HashSet<int>();
        foreach (var userId in mentions.Reached)
        {
            Notify(tx, userId, NotificationTypes.Mention, message, access, notified);
        }

        if (message.ThreadRootId is { } rootId)
        {
            var rootAuthor = await tx.Set<ChatMessage>().Where(m => m.Id == rootId).Select(m => m.UserId).SingleAsync(ct);
            await ThreadSummary.FollowAsync(tx, rootId, message.RoomId, rootAuthor, null, onlyIfNew: true, ct);
            await ThreadSummary.FollowAsync(tx, rootId, message.RoomId, message.UserId, now, onlyIfNew: false, ct);
            foreach (var userId in mentions.Reached.Where(mentions.UserIds.Contains))
            {
                await ThreadSummary.FollowAsync(tx, rootId, message.RoomId, userId, null, onlyIfNew: false, ct);
            }
            var summary = await ThreadSummary.RefreshAsync(tx, rootId, ct);
            _threads.Add((message.RoomId, rootId, summary));
            // Followers who are still in the room: leaving it ends hearing from its threads.
            var followers = await tx.Set<ThreadFollow>()
                .Where(f => f.RootId == rootId && f.IsFollowing && f.UserId != message.UserId
                            && tx.Set<ChatParticipant>().Any(p => p.RoomId == f.RoomId && p.UserId == f.UserId))
                .Select(f => f.UserId).ToListAsync(ct);
            foreach (var userId in followers)
            {
                Notify(tx, userId, NotificationTypes.ThreadReply, message, access, notified);
            }
        }
        else if (access.Type == RoomType.Direct)
        {
            var others = await tx.Set<ChatParticipant>().Where(p => p.RoomId == message.RoomId && p.UserId != message.UserId)
                .Select(p => p.UserId).ToListAsync(ct);
            foreach (var userId in others)
            {
                Notify(tx, userId, NotificationTypes.DirectMessage, message, access, notified);
            }
        }
        await tx.SaveChangesAsync(ct);
    }

    /// <summary>An edit notifies the people it newly mentions; mentions it removes stay notified.</summary>
    public async Task ApplyEditAsync(ChatMessage message, RoomAccess access, MentionPlan mentions, CancellationToken ct)
    {
        _roomId = message.RoomId;
        var already = await db.Set<MessageMention>().Where(x => x.MessageId == message.Id).Select(x => x.UserId).ToListAsync(ct);
        var added = mentions.Reached.Except(already).ToHashSet();
        AddMentions(db, message, added);
        var notified = new HashSet<int>();
        foreach (var userId in added)
        {
            Notify(db, userId, NotificationTypes.Mention, message, access, notified);
        }
        if (message.ThreadRootId is { } rootId)
        {
            foreach (var userId in added.Where(mentions.UserIds.Contains))
            {
                await ThreadSummary.FollowAsync(db, rootId, message.RoomId, userId, null, onlyIfNew: false, ct);
            }
        }
    }

    /// <summary>After commit: <c>thread_updated</c> to the room, then each notified user's frames.</summary>
    public async Task PublishAsync(CancellationToken ct)
    {
        foreach (var (roomId, rootId, summary) in _threads)
        {
            var people = await ThreadSummary.UsersAsync(db, summary.ParticipantIds, ct);
            await events.PublishAsync(new RoomEvent(roomId, new ThreadUpdatedFrame(roomId, rootId, summary.ReplyCount, summary.LastReplyAt, people)), ct);
        }
        _threads.Clear();
        await notifier.PublishAsync(ct);
        if (_touched.Count > 0)
        {
            var counts = await RoomCounts.LoadAsync(db, [_roomId], _touched, ct);
            foreach (var userId in _touched)
            {
                var c = counts.GetValueOrDefault((_roomId, userId), RoomCount.Zero);
                await notifier.PushAsync(userId, new UnreadUpdatedFrame(_roomId, c.Unread, c.Mentions, c.UnreadThreads), ct);
            }
            _touched.Clear();
        }
    }

    public void Discard()
    {
        notifier.Discard();
        _threads.Clear();
        _touched.Clear();
    }

    private void AddMentions(AppDbContext tx, ChatMessage message, IEnumerable<int> userIds)
    {
        foreach (var userId in userIds)
        {
            tx.Add(new MessageMention { MessageId = message.Id, UserId = userId, RoomId = message.RoomId });
            _touched.Add(userId);
        }
    }

    // One notification per person and message: a mention outranks the reply or the direct message it is in.
    private void Notify(AppDbContext tx, int userId, string type, ChatMessage message, RoomAccess access, HashSet<int> notified)
    {
        if (userId == message.UserId || !notified.Add(userId))
        {
            return;
        }
        notifier.Add(tx, userId, type, message.UserId, message.CreatedAt, message.Content,
            projectId: access.ProjectId, roomId: message.RoomId, messageId: message.Id);
        _touched.Add(userId);
    }
}

/// <summary>Online or away (connected) per the user socket's presence, which every instance shares through Redis.</summary>
public sealed class SocketPresenceLookup(PresenceTracker presence) : IPresenceLookup
{
    public async Task<IReadOnlySet<int>> OnlineAsync(int roomId, IReadOnlyCollection<int> userIds, CancellationToken ct)
    {
        var status = await presence.StatusAsync(userIds);
        return status.Where(s => s.Value != PresenceStatus.Offline).Select(s => s.Key).ToHashSet();
    }
}
