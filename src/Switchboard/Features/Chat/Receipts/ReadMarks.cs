using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Chat.Messages;
using Switchboard.Features.Chat.Rooms;
using Switchboard.Features.Chat.Threads;
using Switchboard.Features.Notifications;
using Switchboard.Features.Users;
using Switchboard.Realtime;

namespace Switchboard.Features.Chat.Receipts;

public sealed record ReceiptDto(UserDto User, DateTime? ReadAt);

public sealed record ReceiptsDto(int ReadCount, int ParticipantCount, IReadOnlyList<ReceiptDto> ReadBy);

public sealed record ThreadMarkReadDto(int RootId, DateTime LastReadAt);

/// <summary>
/// A participant's read mark in a room (and in threads): moving it, and what moving it does to
/// unread counts, notifications and receipts. Viewers may: it is their own state.
/// </summary>
public sealed class ReadMarks(AppDbContext db, IRoomEvents events, ReadReceipts receipts, Notifier notifier, TimeProvider clock)
{
    private const string RoomNotFound = "Room not found.";

    /// <summary>Moves the mark forward to <paramref name="messageId"/> (default: the newest message); never back.</summary>
    public async Task<ChatResult<MarkReadDto>> MarkReadAsync(int userId, int roomId, int? messageId, CancellationToken ct)
    {
        if (await db.RoomAccessAsync(roomId, userId, ct) is null)
        {
            return ChatError.NotFound(RoomNotFound);
        }
        var messages = db.Set<ChatMessage>().Where(m => m.RoomId == roomId);
        int? target;
        if (messageId is { } id)
        {
            if (!await messages.AnyAsync(m => m.Id == id, ct))
            {
                return ChatError.Validation("message_id", "Not a message of this room.");
            }
            target = id;
        }
        else
        {
            target = await messages.MaxAsync(m => (int?)m.Id, ct);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var mine = db.Set<ChatParticipant>().Where(p => p.RoomId == roomId && p.UserId == userId);
        var moved = target is { } t
            ? await mine.Where(p => p.LastReadMessageId == null || p.LastReadMessageId < t)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.LastReadMessageId, t).SetProperty(p => p.LastReadAt, now), ct)
            // An empty room: only the time mark, as before read receipts.
            : await mine.ExecuteUpdateAsync(s => s.SetProperty(p => p.LastReadAt, now), ct);
        if (moved > 0 && target is { } mark)
        {
            // Reading the room reads its notifications up to the mark (thread replies are read in their thread).
            await notifier.MarkReadAsync(userId, n => n.RoomId == roomId && n.MessageId != null
                && db.Set<ChatMessage>().Any(m => m.Id == n.MessageId && m.Id <= mark && (m.ThreadRootId == null || m.AlsoSendToRoom)), now, ct);
        }
        return await AnswerAsync(userId, roomId, announce: moved > 0, ct);
    }

    /// <summary>Moves the mark back to just before <paramref name="messageId"/>, so that it and what follows are unread.</summary>
    public async Task<ChatResult<MarkReadDto>> MarkUnreadAsync(int userId, int roomId, int? messageId, CancellationToken ct)
    {
        if (await db.RoomAccessAsync(roomId, userId, ct) is null)
        {
            return ChatError.NotFound(RoomNotFound);
        }
        if (messageId is not { } id)
        {
            return ChatError.Validation("message_id", "This field is required.");
        }
        var messages = db.Set<ChatMessage>().Where(m => m.RoomId == roomId);
        if (!await messages.AnyAsync(m => m.Id == id, ct))
        {
            return ChatError.Validation("message_id", "Not a message of this room.");
        }
        // 0 rather than null: "nothing read" by id, not "no id mark yet".
        var before = await messages.Where(m => m.Id < id).MaxAsync(m => (int?)m.Id, ct) ?? 0;
        await db.Set<ChatParticipant>().Where(p => p.RoomId == roomId && p.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.LastReadMessageId, before), ct);
        return await AnswerAsync(userId, roomId, announce: true, ct);
    }

    public async Task<ChatResult<ThreadMarkReadDto>> MarkThreadReadAsync(int userId, int rootId, CancellationToken ct)
    {
        var root = await db.Set<ChatMessage>().Where(m => m.Id == rootId && m.ThreadRootId == null)
            .Select(m => new { m.RoomId }).SingleOrDefaultAsync(ct);
        if (root is null || await db.RoomAccessAsync(root.RoomId, userId, ct) is null)
        {
            return ChatError.NotFound("Thread not found.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var updated = await db.Set<ThreadFollow>().Where(f => f.RootId == rootId && f.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.LastReadAt, now), ct);
        if (updated == 0)
        {
            // Reading a thread one does not follow keeps the mark without following it.
            db.Add(new ThreadFollow { RootId = rootId, UserId = userId, RoomId = root.RoomId, IsFollowing = false, LastReadAt = now });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear();
                await db.Set<ThreadFollow>().Where(f => f.RootId == rootId && f.UserId == userId)
                    .ExecuteUpdateAsync(s => s.SetProperty(f => f.LastReadAt, now), ct);
            }
            db.ChangeTracker.Clear();
        }
        await notifier.MarkReadAsync(userId, n => n.RoomId == root.RoomId && n.MessageId != null
            && db.Set<ChatMessage>().Any(m => m.Id == n.MessageId && (m.Id == rootId || m.ThreadRootId == rootId)), now, ct);
        await PushCountsAsync(userId, root.RoomId, ct);
        return new ChatResult<ThreadMarkReadDto>(new ThreadMarkReadDto(rootId, now), null);
    }

    /// <summary>Who has read a message, among the participants who share receipts (the author left out).</summary>
    public async Task<ReceiptsDto?> ReceiptsAsync(int userId, int messageId, CancellationToken ct)
    {
        var message = await db.Set<ChatMessage>().Where(m => m.Id == messageId)
            .Select(m => new { m.RoomId, m.UserId, m.CreatedAt }).SingleOrDefaultAsync(ct);
        if (message is null || await db.RoomAccessAsync(message.RoomId, userId, ct) is null)
        {
            return null;
        }
        var sharing = await db.Set<ChatParticipant>()
            .Where(p => p.RoomId == message.RoomId && p.UserId != message.UserId && p.User.ShareReadReceipts)
            .Select(p => new
            {
                User = new UserRow(p.User.Id, p.User.Username, p.User.Email, p.User.FirstName, p.User.LastName, p.User.AvatarId),
                p.LastReadMessageId,
                p.LastReadAt,
            })
            .ToListAsync(ct);
        var readBy = sharing
            .Where(p => p.LastReadMessageId is { } mark ? mark >= messageId : p.LastReadAt >= message.CreatedAt)
            .OrderBy(p => p.LastReadAt).ThenBy(p => p.User.Id)
            .Select(p => new ReceiptDto(p.User.ToDto(), p.LastReadAt))
            .ToList();
        return new ReceiptsDto(readBy.Count, sharing.Count, readBy);
    }

    private async Task<ChatResult<MarkReadDto>> AnswerAsync(int userId, int roomId, bool announce, CancellationToken ct)
    {
        var mark = await db.Set<ChatParticipant>().Where(p => p.RoomId == roomId && p.UserId == userId)
            .Select(p => new { p.LastReadMessageId, p.LastReadAt, p.User.ShareReadReceipts }).SingleOrDefaultAsync(ct);
        if (mark is null)
        {
            return ChatError.NotFound(RoomNotFound);
        }
        var counts = await RoomCounts.LoadAsync(db, roomId, userId, ct);
        var shownId = mark.LastReadMessageId is > 0 ? mark.LastReadMessageId : null;
        if (announce)
        {
            var at = mark.LastReadAt ?? clock.GetUtcNow().UtcDateTime;
            // room_read (Part 1) tells as much as a receipt: neither goes out for someone who does not share.
            if (mark.ShareReadReceipts)
            {
                await events.PublishAsync(new RoomEvent(roomId, new RoomReadFrame(userId, at), Effect: RoomEventEffect.Read, AffectedUserId: userId), ct);
                await receipts.MarkAsync(new ReadReceiptFrame(roomId, userId, shownId, at));
            }
            await notifier.PushAsync(userId, new UnreadUpdatedFrame(roomId, counts.Unread, counts.Mentions, counts.UnreadThreads), ct);
        }
        return new ChatResult<MarkReadDto>(new MarkReadDto(shownId, mark.LastReadAt, counts.Unread), null);
    }

    private async Task PushCountsAsync(int userId, int roomId, CancellationToken ct)
    {
        var counts = await RoomCounts.LoadAsync(db, roomId, userId, ct);
        await notifier.PushAsync(userId, new UnreadUpdatedFrame(roomId, counts.Unread, counts.Mentions, counts.UnreadThreads), ct);
    }
}
