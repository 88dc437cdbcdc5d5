using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Chat.Messages;
using Switchboard.Realtime;

namespace Switchboard.Features.Chat;

/// <summary>Carries out socket frames with the same service the REST endpoints use.</summary>
public sealed class ChatSocketBackend(ChatService chat, AppDbContext db) : IChatSocketBackend
{
    public Task<bool> IsParticipantAsync(int roomId, int userId, CancellationToken ct) => chat.IsParticipantAsync(roomId, userId, ct);

    public async Task<object?> ExecuteAsync(int roomId, int userId, ClientFrame frame, CancellationToken ct)
    {
        switch (frame)
        {
            case MessageSendFrame send:
                var sent = await chat.SendAsync(userId, new SendMessageInput(roomId, send.Content, send.MessageType, send.ClientId), ct);
                // A repeated client_id stores nothing new; the service tells the room (the sender
                // included) about the original again, so the sender can stop retrying.
                return ToFrame(sent.Error, send.ClientId);
            case MessageEditFrame edit:
                return await InThisRoomAsync(roomId, edit.MessageId, ct) is not { } editId
                    ? MessageNotFound()
                    : ToFrame((await chat.EditAsync(userId, editId, edit.Content, ct)).Error);
            case MessageDeleteFrame delete:
                return await InThisRoomAsync(roomId, delete.MessageId, ct) is not { } deleteId
                    ? MessageNotFound()
                    : ToFrame((await chat.DeleteAsync(userId, deleteId, ct)).Error);
            case ReactionFrame reaction:
                if (await InThisRoomAsync(roomId, reaction.MessageId, ct) is not { } reactionId)
                {
                    return MessageNotFound();
                }
                var result = reaction.Add
                    ? await chat.AddReactionAsync(userId, reactionId, reaction.Emoji, ct)
                    : await chat.RemoveReactionAsync(userId, reactionId, reaction.Emoji, ct);
                return ToFrame(result.Error);
            default:
                return new ErrorFrame(ErrorCodes.UnknownType, "This frame type is not handled here.");
        }
    }

    /// <summary>A socket acts on its own room only; a message elsewhere is as good as missing.</summary>
    private async Task<int?> InThisRoomAsync(int roomId, long messageId, CancellationToken ct)
    {
        if (messageId > int.MaxValue)
        {
            return null;
        }
        var id = (int)messageId;
        return await db.Set<ChatMessage>().AnyAsync(m => m.Id == id && m.RoomId == roomId, ct) ? id : null;
    }

    private static ErrorFrame MessageNotFound() => new(ErrorCodes.NotFound, "Message not found.");

    private static ErrorFrame? ToFrame(ChatError? error, string? clientId = null) => error switch
    {
        null => null,
        { Code: ChatError.NotFoundCode } => new ErrorFrame(ErrorCodes.NotFound, error.Detail, clientId),
        { Code: ChatError.ForbiddenCode } => new ErrorFrame(ErrorCodes.Forbidden, error.Detail, clientId),
        _ => new ErrorFrame(ErrorCodes.Validation, error.Detail, clientId),
    };
}
