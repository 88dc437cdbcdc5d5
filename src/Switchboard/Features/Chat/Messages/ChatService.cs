using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Chat.Attachments;
using Switchboard.Features.Chat.Rooms;
using Switchboard.Features.Chat.Threads;
using Switchboard.Features.TicketsInChat;
using Switchboard.Features.Users;
using Switchboard.Infrastructure;
using Switchboard.Infrastructure.Storage;
using Switchboard.Realtime;

namespace Switchboard.Features.Chat.Messages;

/// <summary>An expected failure of a chat operation; <paramref name="Code"/> is one of <see cref="ErrorCodes"/>, shared by REST and sockets.</summary>
/// <param name="Code"><see cref="ErrorCodes.NotFound"/>, <see cref="ErrorCodes.Forbidden"/> or <see cref="ErrorCodes.Validation"/>.</param>
/// <param name="Errors">Field errors under their snake_case names, for a validation failure.</param>
public sealed record ChatError(string Code, string Detail, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public static ChatError NotFound(string detail) => new(ErrorCodes.NotFound, detail);
    public static ChatError Forbidden(string detail) => new(ErrorCodes.Forbidden, detail);

    public static ChatError Validation(string field, string message) =>
        new(ErrorCodes.Validation, $"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>Either a value or an error. <see cref="Created"/> is false when an idempotent call found what it would have made.</summary>
public sealed record ChatResult<T>(T? Value, ChatError? Error, bool Created = false) where T : class
{
    public bool IsSuccess => Error is null;

    public static implicit operator ChatResult<T>(ChatError error) => new(null, error);
}

/// <param name="Attachment">An upload already in storage; the service owns it from here and deletes it if the send fails.</param>
public sealed record MessageDeleted(int MessageId, int RoomId);

/// <param name="Waveform">A voice message's bar heights as the multipart field's raw JSON text.</param>
public sealed record SendMessageInput(int RoomId, string? Content, string? Type, string? ClientId, UploadedFile? Attachment = null,
    int? ThreadRootId = null, bool AlsoSendToRoom = false, string? Waveform = null);

/// <summary>
/// The message operations, shared by the REST endpoints and the socket handler: each takes the
/// acting user, checks access, commits, and only then publishes its room event.
/// </summary>
public sealed class ChatService(
    AppDbContext db,
    IRoomEvents events,
    MessageMapper mapper,
    Thumbnails thumbnails,
    IFileStorage storage,
    MessageEffects effects,
    DiscussionSync discussions,
    ChatPosts posts,
    GroupCommit commits,
    TimeProvider clock,
    ILogger<ChatService> logger)
{
    private const string RoomNotFound = "Room not found.";
    private const string MessageNotFound = "Message not found.";
    private const string ReadOnly = "Viewers can read this chat but not write in it.";

    public Task<bool> IsParticipantAsync(int roomId, int userId, CancellationToken ct = default) =>
        db.Set<ChatParticipant>().AnyAsync(p => p.RoomId == roomId && p.UserId == userId &&
            db.ProjectMembers.Any(m => m.ProjectId == p.Room.ProjectId && m.UserId == userId), ct);

    public Task<RoomAccess?> GetAccessAsync(int roomId, int userId, CancellationToken ct = default) =>
        db.RoomAccessAsync(roomId, userId, ct);

    public async Task<ChatResult<MessageDto>> SendAsync(int userId, SendMessageInput input, CancellationToken ct = default)
    {
        var keepUpload = false;
        try
        {
            var result = await SendCoreAsync(userId, input, ct);
            keepUpload = result.IsSuccess && result.Created;
            return result;
        }
        finally
        {
            if (!keepUpload && input.Attachment is not null)
            {
                await storage.DeleteAsync(input.Attachment.Stored.StorageKey, CancellationToken.None);
            }
        }
    }

    private async Task<ChatResult<MessageDto>> SendCoreAsync(int userId, SendMessageInput input, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var type = MessageType.Text;
        if (input.Type is not null && !MessageTypes.TryParse(input.Type, out type))
        {
            errors["type"] = ["Choose text, image, file or voice."];
        }
        var content = input.Content ?? "";
        if (content.Length > ChatMessage.MaxContentLength)
        {
            errors["content"] = [$"Ensure this field has no more than {ChatMessage.MaxContentLength} characters."];
        }
        else if (TextInput.HasNul(content))
        {
            // Socket frames do not pass through the JSON body checks.
            errors["content"] = [TextInput.NulMessage];
        }
        var clientId = string.IsNullOrEmpty(input.ClientId) ? null : input.ClientId;
        if (clientId is { Length: > ChatMessage.MaxClientIdLength })
        {
            errors["client_id"] = [$"Ensure this field has no more than {ChatMessage.MaxClientIdLength} characters."];
        }
        else if (TextInput.HasNul(clientId))
        {
            errors["client_id"] = [TextInput.NulMessage];
        }
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var access = await db.RoomAccessAsync(input.RoomId, userId, ct);
        if (access is null)
        {
            return ChatError.NotFound(RoomNotFound);
        }
        if (!access.CanWrite)
        {
            return ChatError.Forbidden(ReadOnly);
        }

        var file = input.Attachment;
        switch (type)
        {
            case MessageType.Text when string.IsNullOrWhiteSpace(content):
                return ChatError.Validation("content", "A text message needs some text.");
            case MessageType.Text when file is not null:
                return ChatError.Validation("attachment", "Only image, file and voice messages carry an attachment.");
            case MessageType.Image or MessageType.File or MessageType.Voice when file is null:
                return ChatError.Validation("attachment", "This message type needs an attachment.");
            case MessageType.Image when file!.ImageType is null:
                return ChatError.Validation("attachment", "Upload a valid image: PNG, JPEG, GIF or WebP.");
        }
        if (input.ThreadRootId is { } rootId && await CheckThreadRootAsync(access.RoomId, rootId, ct) is { } rootError)
        {
            return rootError;
        }
        VoiceNote? voice = null;
        if (type == MessageType.Voice)
        {
            var (note, voiceError) = await VoiceNote.CheckAsync(storage, file!, input.Waveform, ct);
            if (voiceError is not null)
            {
                return voiceError;
            }
            voice = note!;
            // The text is the server's own, so a voice message says what it is wherever text is shown.
            content = voice.Content;
        }
        var mentions = await effects.MentionsAsync(access.RoomId, userId, content, ct);

        // A client_id seen before is found by the unique index refusing the insert below, not by a
        // lookup first: the common send costs one query for access and one commit.
        var now = Microseconds(clock.GetUtcNow().UtcDateTime);
        var message = new ChatMessage
        {
            RoomId = access.RoomId,
            UserId = userId,
            Content = content,
            Type = type,
            ClientId = clientId,
            CreatedAt = now,
            UpdatedAt = now,
            ThreadRootId = input.ThreadRootId,
            AlsoSendToRoom = input.ThreadRootId is not null && input.AlsoSendToRoom,
        };
        mentions.WriteTo(message);
        if (file is not null)
        {
            message.AttachmentKey = file.Stored.StorageKey;
            message.AttachmentPublicId = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            message.AttachmentName = file.FileName;
            message.AttachmentSize = file.Stored.Length;
            message.AttachmentContentType = type == MessageType.Image ? file.ImageType : voice?.ContentType;
            message.DurationMs = voice?.DurationMs;
            message.Waveform = voice?.Waveform;
            if (type == MessageType.Image)
            {
                message.ThumbnailKey = await thumbnails.CreateAsync(file.Stored.StorageKey, ct);
            }
        }

        // The message, the room's activity time, mentions, the thread's summary, following,
        // notifications, ticket references and a discussion's mirrored comment commit together. On
        // SQLite the stage runs in the group-commit writer's transaction with other sends, so it
        // writes only through the context it is given; the call returns once that is committed.
        try
        {
            await commits.RunAsync(db, async (tx, token) =>
            {
                tx.Add(message);
                var room = tx.Attach(new ChatRoom { Id = access.RoomId });
                room.Property(r => r.LastActivityAt).CurrentValue = now;
                room.Property(r => r.LastActivityAt).IsModified = true;
                await tx.SaveChangesAsync(token);
                await effects.ApplySendAsync(tx, message, access, mentions, token);
                await TicketReferences.WriteAsync(tx, message, replacing: false, token);
                await discussions.OnReplySentAsync(tx, message, token);
            }, ct);
        }
        catch (DbUpdateException e) when (clientId is not null && ProblemDetailsExceptionHandler.IsUniqueViolation(e))
        {
            // The same client_id won a race a moment ago: that send is the message.
            effects.Discard();
            discussions.Discard();
            db.ChangeTracker.Clear();
            await DeleteFilesAsync(message.ThumbnailKey);
            var winner = await FindByClientIdAsync(userId, clientId, ct);
            if (winner is null)
            {
                return ChatError.NotFound(RoomNotFound);
            }
            // Told again, to the whole room: a client resends when it saw no acknowledgement, and the
            // instance that stored the first send may have died between its commit and its
            // broadcast, so the room may never have heard of it. Clients merge messages by id.
            await events.PublishAsync(new RoomEvent(access.RoomId, new MessageNewFrame(winner, clientId)), ct);
            return new ChatResult<MessageDto>(winner, null, Created: false);
        }
        catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || !ProblemDetailsExceptionHandler.IsUniqueViolation(e))
        {
            // The room was deleted while we were sending (no row to update, or a foreign key failed).
            effects.Discard();
            discussions.Discard();
            if (e is not DbUpdateConcurrencyException && await RoomExistsAsync(access.RoomId))
            {
                throw;
            }
            await DeleteFilesAsync(message.ThumbnailKey);
            return ChatError.NotFound(RoomNotFound);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        // The frame is built from what was just committed (a new message has no reactions yet).
        var dto = await mapper.ToRoomDtoAsync(db, MessageMapper.ToRow(message, access.Caller), userId, ct);
        // Thread-only replies are not in the room's timeline: they do not add to the room's unread count.
        await events.PublishAsync(new RoomEvent(access.RoomId, new MessageNewFrame(dto, clientId),
            Effect: message.ThreadRootId is null || message.AlsoSendToRoom ? RoomEventEffect.MessageAdded : RoomEventEffect.None,
            AffectedUserId: userId), ct);
        await effects.PublishAsync(ct);
        await discussions.PublishAsync(ct);
        return new ChatResult<MessageDto>(dto, null, Created: true);
    }

    /// <summary>
    /// Posts a <c>system</c> message in the room (or a thread of it) and broadcasts it after commit.
    /// The caller has already decided that the actor may cause it: this checks only that the room
    /// (and the root) exist. Nobody is notified and nothing is parsed for mentions; the message
    /// counts as unread like any other, and a thread's summary counts it as a reply.
    /// </summary>
    public async Task<ChatResult<MessageDto>> PostSystemAsync(SystemMessageInput input, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(input.Content);
        if (!await db.Set<ChatRoom>().AnyAsync(r => r.Id == input.RoomId, ct) || !await db.Users.AnyAsync(u => u.Id == input.ActorId, ct))
        {
            return ChatError.NotFound(RoomNotFound);
        }
        if (input.ThreadRootId is { } rootId && await CheckThreadRootAsync(input.RoomId, rootId, ct) is { } rootError)
        {
            return rootError;
        }

        // The one way a system message is written: the same as a ticket's, in a transaction of its own here.
        ChatMessage message;
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            message = await posts.AddAsync(input.RoomId, input.ActorId, input.Content, MessageType.System, input.EventJson,
                input.ThreadRootId, Microseconds(clock.GetUtcNow().UtcDateTime), ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The room (or the root) went while we were posting: a foreign key failed.
            posts.Discard();
            if (await RoomExistsAsync(input.RoomId))
            {
                throw;
            }
            return ChatError.NotFound(RoomNotFound);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        var dto = (await posts.PublishAsync(ct)).FirstOrDefault(m => m.Id == message.Id);
        return dto is null ? ChatError.NotFound(RoomNotFound) : new ChatResult<MessageDto>(dto, null, Created: true);
    }

    public async Task<ChatResult<MessageDto>> EditAsync(int userId, int messageId, string? content, CancellationToken ct = default)
    {
        var message = await db.Set<ChatMessage>().SingleOrDefaultAsync(m => m.Id == messageId, ct);
        var access = message is null ? null : await db.RoomAccessAsync(message.RoomId, userId, ct);
        if (message is null || access is null)
        {
            return ChatError.NotFound(MessageNotFound);
        }
        if (message.UserId != userId)
        {
            return ChatError.Forbidden("Only the author can edit a message.");
        }
        if (!message.IsEditable)
        {
            return ChatError.Forbidden("System and voice messages cannot be edited.");
        }
        if (!access.CanWrite)
        {
            return ChatError.Forbidden(ReadOnly);
        }
        if (content is null)
        {
            return ChatError.Validation("content", "This field is required.");
        }
        if (content.Length > ChatMessage.MaxContentLength)
        {
            return ChatError.Validation("content", $"Ensure this field has no more than {ChatMessage.MaxContentLength} characters.");
        }
        if (TextInput.HasNul(content))
        {
            return ChatError.Validation("content", TextInput.NulMessage);
        }
        if (message.Type == MessageType.Text && string.IsNullOrWhiteSpace(content))
        {
            return ChatError.Validation("content", "A text message needs some text.");
        }

        var mentions = await effects.MentionsAsync(message.RoomId, userId, content, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        // The version being replaced is kept, in the same commit; an edit that changes nothing keeps nothing.
        if (message.Content != content)
        {
            db.Add(new MessageVersion { MessageId = message.Id, Content = message.Content, EditedAt = now });
        }
        message.Content = content;
        message.IsEdited = true;
        message.EditedAt = now;
        message.UpdatedAt = now;
        mentions.WriteTo(message);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await effects.ApplyEditAsync(message, access, mentions, ct);
            await db.SaveChangesAsync(ct);
            await TicketReferences.WriteAsync(db, message, replacing: true, ct);
            await discussions.OnReplyEditedAsync(message, ct);
            await tx.CommitAsync(ct);
        }
        db.ChangeTracker.Clear();

        var dto = (await LoadAsync(messageId, userId, forRoom: true, ct))!;
        await events.PublishAsync(new RoomEvent(message.RoomId, new MessageEditedFrame(dto)), ct);
        await effects.PublishAsync(ct);
        await discussions.PublishAsync(ct);
        return new ChatResult<MessageDto>(dto, null);
    }

    public async Task<ChatResult<MessageDeleted>> DeleteAsync(int userId, int messageId, CancellationToken ct = default)
    {
        var message = await db.Set<ChatMessage>().AsNoTracking().SingleOrDefaultAsync(m => m.Id == messageId, ct);
        var access = message is null ? null : await db.RoomAccessAsync(message.RoomId, userId, ct);
        if (message is null || access is null)
        {
            return ChatError.NotFound(MessageNotFound);
        }
        var allowed = access.IsProjectAdmin || (access.CanWrite && (message.UserId == userId || access.CreatedById == userId));
        if (!allowed)
        {
            return ChatError.Forbidden("Only the author, the room's creator or a project admin can delete a message.");
        }
        int deleted;
        ThreadSummaryDto? summary = null;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var hasReplies = message.ThreadRootId is null && await db.Set<ChatMessage>().AnyAsync(m => m.ThreadRootId == messageId, ct);
            deleted = hasReplies
                // A root with replies stays as an empty placeholder, so that its thread stays readable.
                ? await db.Set<ChatMessage>().Where(m => m.Id == messageId && !m.IsDeleted).ExecuteUpdateAsync(u => u
                    .SetProperty(m => m.IsDeleted, true)
                    .SetProperty(m => m.Content, "")
                    .SetProperty(m => m.MentionUserIds, (string?)null)
                    .SetProperty(m => m.MentionsRoom, false)
                    .SetProperty(m => m.MentionsHere, false)
                    .SetProperty(m => m.AttachmentKey, (string?)null)
                    .SetProperty(m => m.AttachmentPublicId, (string?)null)
                    .SetProperty(m => m.AttachmentName, (string?)null)
                    .SetProperty(m => m.AttachmentSize, (long?)null)
                    .SetProperty(m => m.AttachmentContentType, (string?)null)
                    .SetProperty(m => m.DurationMs, (int?)null)
                    .SetProperty(m => m.Waveform, (byte[]?)null)
                    .SetProperty(m => m.ThumbnailKey, (string?)null), ct)
                : await DeleteRowAsync(messageId, userId, ct);
            if (hasReplies)
            {
                await db.Set<TicketReference>().Where(r => r.MessageId == messageId).ExecuteDeleteAsync(ct);
            }
            if (deleted > 0 && message.ThreadRootId is { } rootId)
            {
                summary = await ThreadSummary.RefreshAsync(db, rootId, ct);
            }
            await tx.CommitAsync(ct);
        }
        if (deleted == 0)
        {
            return ChatError.NotFound(MessageNotFound);
        }
        await DeleteFilesAsync(message.AttachmentKey, message.ThumbnailKey);
        await events.PublishAsync(new RoomEvent(message.RoomId, new MessageDeletedFrame(messageId), Effect: RoomEventEffect.MessageRemoved), ct);
        await discussions.PublishAsync(ct);
        if (message.PinnedAt is not null)
        {
            // Deleting a pinned message takes its pin down: pin bars hear it like any unpin.
            await events.PublishAsync(new RoomEvent(message.RoomId, new MessageUnpinnedFrame(message.RoomId, messageId, access.Caller.ToDto())), ct);
        }
        if (summary is not null)
        {
            var people = await ThreadSummary.UsersAsync(db, summary.ParticipantIds, ct);
            await events.PublishAsync(new RoomEvent(message.RoomId, new ThreadUpdatedFrame(message.RoomId, message.ThreadRootId!.Value,
                summary.ReplyCount, summary.LastReplyAt, people)), ct);
        }
        return new ChatResult<MessageDeleted>(new MessageDeleted(messageId, message.RoomId), null);
    }

    /// <summary>Adds the caller's reaction; adding it again changes nothing and publishes nothing.</summary>
    public async Task<ChatResult<MessageDto>> AddReactionAsync(int userId, int messageId, string? emoji, CancellationToken ct = default)
    {
        var (roomId, error) = await ReactionAccessAsync(userId, messageId, emoji, ct);
        if (error is not null)
        {
            return error;
        }
        var exists = await db.Set<MessageReaction>().AnyAsync(r => r.MessageId == messageId && r.UserId == userId && r.Emoji == emoji, ct);
        MessageReaction? added = null;
        if (!exists)
        {
            added = new MessageReaction { MessageId = messageId, UserId = userId, Emoji = emoji!, CreatedAt = clock.GetUtcNow().UtcDateTime };
            db.Add(added);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (ProblemDetailsExceptionHandler.IsUniqueViolation(e))
            {
                added = null;
            }
            catch (DbUpdateException)
            {
                // The message was deleted meanwhile (foreign key).
                db.ChangeTracker.Clear();
                return ChatError.NotFound(MessageNotFound);
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
        var dto = await LoadAsync(messageId, userId, ct);
        if (dto is null)
        {
            return ChatError.NotFound(MessageNotFound);
        }
        if (added is not null)
        {
            var reaction = dto.Reactions.First(r => r.Id == added.Id);
            await events.PublishAsync(new RoomEvent(roomId, new ReactionAddedFrame(messageId, reaction)), ct);
        }
        return new ChatResult<MessageDto>(dto, null, Created: added is not null);
    }

    /// <summary>Removes the caller's reaction; removing one that is not there is harmless.</summary>
    public async Task<ChatResult<MessageDto>> RemoveReactionAsync(int userId, int messageId, string? emoji, CancellationToken ct = default)
    {
        var (roomId, error) = await ReactionAccessAsync(userId, messageId, emoji, ct);
        if (error is not null)
        {
            return error;
        }
        var removed = await db.Set<MessageReaction>()
            .Where(r => r.MessageId == messageId && r.UserId == userId && r.Emoji == emoji)
            .ExecuteDeleteAsync(ct);
        var dto = await LoadAsync(messageId, userId, ct);
        if (dto is null)
        {
            return ChatError.NotFound(MessageNotFound);
        }
        if (removed > 0)
        {
            await events.PublishAsync(new RoomEvent(roomId, new ReactionRemovedFrame(messageId, userId, emoji!)), ct);
        }
        return new ChatResult<MessageDto>(dto, null);
    }

    /// <summary>One message as <paramref name="viewerId"/> sees it (or as the whole room may, for a frame), or null when it is gone.</summary>
    public Task<MessageDto?> LoadAsync(int messageId, int viewerId, CancellationToken ct = default) => LoadAsync(messageId, viewerId, false, ct);

    public async Task<MessageDto?> LoadAsync(int messageId, int viewerId, bool forRoom, CancellationToken ct)
    {
        var message = await MessageMapper.ToRows(db.Set<ChatMessage>().Where(m => m.Id == messageId)).SingleOrDefaultAsync(ct);
        return message is null ? null : (await mapper.ToDtosAsync(db, [message], viewerId, forRoom, ct))[0];
    }

    // A reply that is also a ticket comment takes the comment with it, in the same transaction.
    private Task<int> DeleteRowAsync(int messageId, int actorId, CancellationToken ct) =>
        discussions.DeleteReplyAsync(messageId, actorId, ct);

    /// <summary>Threads are one level deep, inside one room.</summary>
    private async Task<ChatError?> CheckThreadRootAsync(int roomId, int rootId, CancellationToken ct)
    {
        var root = await db.Set<ChatMessage>().Where(m => m.Id == rootId)
            .Select(m => new { m.RoomId, m.ThreadRootId, m.IsDeleted }).SingleOrDefaultAsync(ct);
        if (root is null || root.RoomId != roomId)
        {
            return ChatError.Validation("thread_root_id", "Reply to a message of this room.");
        }
        if (root.ThreadRootId is not null)
        {
            return ChatError.Validation("thread_root_id", "Threads are one level deep: reply to the thread's root, not to a reply.");
        }
        return root.IsDeleted ? ChatError.Validation("thread_root_id", "This message was deleted.") : null;
    }

    private async Task<(int RoomId, ChatError? Error)> ReactionAccessAsync(int userId, int messageId, string? emoji, CancellationToken ct)
    {
        var roomId = await db.Set<ChatMessage>().Where(m => m.Id == messageId).Select(m => (int?)m.RoomId).SingleOrDefaultAsync(ct);
        var access = roomId is null ? null : await db.RoomAccessAsync(roomId.Value, userId, ct);
        if (access is null)
        {
            return (0, ChatError.NotFound(MessageNotFound));
        }
        if (!access.CanWrite)
        {
            return (0, ChatError.Forbidden(ReadOnly));
        }
        if (emoji is null)
        {
            return (0, ChatError.Validation("emoji", "This field is required."));
        }
        if (!Emoji.IsSingleEmoji(emoji))
        {
            return (0, ChatError.Validation("emoji", "Send exactly one emoji."));
        }
        return (access.RoomId, null);
    }

    private async Task<MessageDto?> FindByClientIdAsync(int userId, string clientId, CancellationToken ct)
    {
        var id = await db.Set<ChatMessage>().Where(m => m.UserId == userId && m.ClientId == clientId)
            .Select(m => (int?)m.Id).SingleOrDefaultAsync(ct);
        return id is null ? null : await LoadAsync(id.Value, userId, ct);
    }

    private async Task<bool> RoomExistsAsync(int roomId)
    {
        db.ChangeTracker.Clear();
        return await db.Set<ChatRoom>().AnyAsync(r => r.Id == roomId);
    }

    /// <summary>The databases keep microseconds; a frame built without reading back must show the same time.</summary>
    private static DateTime Microseconds(DateTime time) => new(time.Ticks - time.Ticks % 10, DateTimeKind.Utc);

    private static ChatError Invalid(Dictionary<string, string[]> errors) =>
        new(ErrorCodes.Validation, string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")), errors);

    private async Task DeleteFilesAsync(params string?[] keys)
    {
        foreach (var key in keys)
        {
            if (key is null)
            {
                continue;
            }
            try
            {
                await storage.DeleteAsync(key, CancellationToken.None);
            }
            catch (IOException e)
            {
                logger.LogWarning(e, "Could not delete a stored chat file");
            }
        }
    }
}
