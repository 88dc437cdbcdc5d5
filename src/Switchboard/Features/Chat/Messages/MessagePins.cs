using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Chat.Rooms;
using Switchboard.Realtime;

namespace Switchboard.Features.Chat.Messages;

/// <summary>Pinning and unpinning messages: anyone who may write in the room, at most <see cref="MaxPerRoom"/> pins a room.</summary>
public sealed class MessagePins(AppDbContext db, IRoomEvents events, ChatService chat, TimeProvider clock)
{
    public const int MaxPerRoom = 50;
    private const string MessageNotFound = "Message not found.";

    public async Task<ChatResult<MessageDto>> PinAsync(int userId, int messageId, CancellationToken ct = default)
    {
        var (access, error) = await WriteAccessAsync(userId, messageId, ct);
        if (access is null)
        {
            return error!;
        }

        var pinned = false;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Writing the room row first makes concurrent pins of one room take turns (a row lock on
            // PostgreSQL, the write lock on SQLite), so the limit holds without a race.
            await db.Set<ChatRoom>().Where(r => r.Id == access.RoomId)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.UpdatedAt, r => r.UpdatedAt), ct);
            var state = await db.Set<ChatMessage>().Where(m => m.Id == messageId).Select(m => new { m.PinnedAt }).SingleOrDefaultAsync(ct);
            if (state is null)
            {
                return ChatError.NotFound(MessageNotFound);
            }
            if (state.PinnedAt is null)
            {
                var count = await db.Set<ChatMessage>().CountAsync(m => m.RoomId == access.RoomId && m.PinnedAt != null, ct);
                if (count >= MaxPerRoom)
                {
                    return ChatError.Validation("pins", $"A room can have at most {MaxPerRoom} pinned messages; unpin one first.");
                }
                var now = clock.GetUtcNow().UtcDateTime;
                pinned = await db.Set<ChatMessage>().Where(m => m.Id == messageId && m.PinnedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.PinnedAt, now).SetProperty(m => m.PinnedById, userId), ct) == 1;
            }
            await tx.CommitAsync(ct);
        }

        var dto = await chat.LoadAsync(messageId, userId, ct);
        if (dto is null)
        {
            return ChatError.NotFound(MessageNotFound);
        }
        // Pinning what is already pinned changes nothing and tells nobody.
        if (pinned)
        {
            await events.PublishAsync(new RoomEvent(access.RoomId, new MessagePinnedFrame(access.RoomId, messageId, access.Caller.ToDto(), dto)), ct);
        }
        return new ChatResult<MessageDto>(dto, null, Created: pinned);
    }

    public async Task<ChatResult<MessageDto>> UnpinAsync(int userId, int messageId, CancellationToken ct = default)
    {
        var (access, error) = await WriteAccessAsync(userId, messageId, ct);
        if (access is null)
        {
            return error!;
        }
        var unpinned = await db.Set<ChatMessage>().Where(m => m.Id == messageId && m.PinnedAt != null)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.PinnedAt, (DateTime?)null).SetProperty(m => m.PinnedById, (int?)null), ct);
        var dto = await chat.LoadAsync(messageId, userId, ct);
        if (dto is null)
        {
            return ChatError.NotFound(MessageNotFound);
        }
        if (unpinned > 0)
        {
            await events.PublishAsync(new RoomEvent(access.RoomId, new MessageUnpinnedFrame(access.RoomId, messageId, access.Caller.ToDto())), ct);
        }
        return new ChatResult<MessageDto>(dto, null);
    }

    private async Task<(RoomAccess? Access, ChatError? Error)> WriteAccessAsync(int userId, int messageId, CancellationToken ct)
    {
        var roomId = await db.Set<ChatMessage>().Where(m => m.Id == messageId).Select(m => (int?)m.RoomId).SingleOrDefaultAsync(ct);
        var access = roomId is null ? null : await db.RoomAccessAsync(roomId.Value, userId, ct);
        if (access is null)
        {
            return (null, ChatError.NotFound(MessageNotFound));
        }
        if (!access.CanWrite)
        {
            return (null, ChatError.Forbidden("Viewers can read this chat but not pin messages in it."));
        }
        return (access, null);
    }
}
