using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Chat;
using Switchboard.Features.Chat.Messages;
using Switchboard.Features.Chat.Rooms;
using Switchboard.Features.Chat.Threads;
using Switchboard.Realtime;

namespace Switchboard.Features.TicketsInChat;

/// <summary>
/// Writes chat messages on behalf of something else inside that change's own transaction (a
/// ticket's system message, a comment's mirrored reply), then broadcasts them once it has committed.
/// A mirrored reply or a feed event must commit together with what caused it
/// (docs/decisions/1203-discussion-mirror.md); <see cref="ChatService.PostSystemAsync"/> (a call's
/// system message) is this in a transaction of its own, so every system message is written here.
/// </summary>
public sealed class ChatPosts(AppDbContext db, IRoomEvents events, MessageMapper mapper)
{
    private readonly List<(int RoomId, int MessageId, bool Timeline)> _added = [];
    private readonly List<(int RoomId, int MessageId)> _edited = [];
    private readonly List<(int RoomId, int MessageId)> _deleted = [];
    private readonly HashSet<(int RoomId, int RootId)> _threads = [];

    /// <summary>Adds a message (saved at once, so it has an id); call inside a transaction.</summary>
    public Task<ChatMessage> AddAsync(int roomId, int userId, string content, MessageType type, string? eventJson, int? threadRootId,
        DateTime now, CancellationToken ct) =>
        AddAsync(db, roomId, userId, content, type, eventJson, threadRootId, now, ct);

    /// <summary>The same through <paramref name="tx"/>, the context whose transaction the change is in.</summary>
    public async Task<ChatMessage> AddAsync(AppDbContext tx, int roomId, int userId, string content, MessageType type, string? eventJson,
        int? threadRootId, DateTime now, CancellationToken ct)
    {
        var message = new ChatMessage
        {
            RoomId = roomId,
            UserId = userId,
            Content = content.Length > ChatMessage.MaxContentLength ? content[..ChatMessage.MaxContentLength] : content,
            Type = type,
            CreatedAt = now,
            UpdatedAt = now,
            ThreadRootId = threadRootId,
            EventJson = eventJson,
        };
        tx.Add(message);
        await tx.SaveChangesAsync(ct);
        await tx.Set<ChatRoom>().Where(r => r.Id == roomId).ExecuteUpdateAsync(s => s.SetProperty(r => r.LastActivityAt, now), ct);
        if (threadRootId is { } rootId)
        {
            if (type != MessageType.System)
            {
                await ThreadSummary.FollowAsync(tx, rootId, roomId, userId, now, onlyIfNew: false, ct);
            }
            await ThreadSummary.RefreshAsync(tx, rootId, ct);
            _threads.Add((roomId, rootId));
        }
        await TicketReferences.WriteAsync(tx, message, replacing: false, ct);
        _added.Add((roomId, message.Id, threadRootId is null));
        return message;
    }

    /// <summary>Replaces a message's text as an edit by its author would (keeping the old version); call inside a transaction.</summary>
    public async Task EditAsync(int messageId, string content, DateTime now, CancellationToken ct)
    {
        var message = await db.Set<ChatMessage>().SingleOrDefaultAsync(m => m.Id == messageId, ct);
        if (message is null || message.Content == content)
        {
            return;
        }
        db.Add(new MessageVersion { MessageId = message.Id, Content = message.Content, EditedAt = now });
        message.Content = content;
        message.IsEdited = true;
        message.EditedAt = now;
        message.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        await TicketReferences.WriteAsync(db, message, replacing: true, ct);
        _edited.Add((message.RoomId, message.Id));
    }

    /// <summary>Deletes a reply (never a root: mirrored messages are replies); call inside a transaction.</summary>
    public async Task DeleteAsync(int messageId, CancellationToken ct)
    {
        var row = await db.Set<ChatMessage>().Where(m => m.Id == messageId).Select(m => new { m.RoomId, m.ThreadRootId }).SingleOrDefaultAsync(ct);
        if (row is null || await db.Set<ChatMessage>().Where(m => m.Id == messageId).ExecuteDeleteAsync(ct) == 0)
        {
            return;
        }
        if (row.ThreadRootId is { } rootId)
        {
            await ThreadSummary.RefreshAsync(db, rootId, ct);
            _threads.Add((row.RoomId, rootId));
        }
        _deleted.Add((row.RoomId, messageId));
    }

    public void Discard()
    {
        _added.Clear();
        _edited.Clear();
        _deleted.Clear();
        _threads.Clear();
    }

    /// <summary>After commit: the frames, as if each change had been made in the room. Returns the added messages as broadcast.</summary>
    public async Task<IReadOnlyList<MessageDto>> PublishAsync(CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var added = new List<MessageDto>(_added.Count);
        foreach (var (roomId, messageId, timeline) in _added)
        {
            if (await LoadAsync(messageId, ct) is { } dto)
            {
                added.Add(dto);
                await events.PublishAsync(new RoomEvent(roomId, new MessageNewFrame(dto, null),
                    Effect: timeline ? RoomEventEffect.MessageAdded : RoomEventEffect.None, AffectedUserId: dto.User.Id), ct);
            }
        }
        foreach (var (roomId, messageId) in _edited)
        {
            if (await LoadAsync(messageId, ct) is { } dto)
            {
                await events.PublishAsync(new RoomEvent(roomId, new MessageEditedFrame(dto)), ct);
            }
        }
        foreach (var (roomId, messageId) in _deleted)
        {
            await events.PublishAsync(new RoomEvent(roomId, new MessageDeletedFrame(messageId), Effect: RoomEventEffect.MessageRemoved), ct);
        }
        foreach (var (roomId, rootId) in _threads)
        {
            var summary = await db.Set<ChatMessage>().Where(m => m.Id == rootId)
                .Select(m => new { m.ReplyCount, m.LastReplyAt, m.ThreadParticipantIds }).SingleOrDefaultAsync(ct);
            if (summary is not null)
            {
                var people = await ThreadSummary.UsersAsync(db, ThreadRow.Ids(summary.ThreadParticipantIds), ct);
                await events.PublishAsync(new RoomEvent(roomId, new ThreadUpdatedFrame(roomId, rootId, summary.ReplyCount, summary.LastReplyAt, people)), ct);
            }
        }
        Discard();
        return added;
    }

    private async Task<MessageDto?> LoadAsync(int messageId, CancellationToken ct)
    {
        var row = await MessageMapper.ToRows(db.Set<ChatMessage>().Where(m => m.Id == messageId)).SingleOrDefaultAsync(ct);
        return row is null ? null : (await mapper.ToDtosAsync(db, [row], row.User.Id, forRoom: true, ct))[0];
    }
}
