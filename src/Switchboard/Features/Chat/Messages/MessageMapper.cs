using Microsoft.EntityFrameworkCore;
using Switchboard.Features.Chat.Attachments;
using Switchboard.Features.Users;

namespace Switchboard.Features.Chat.Messages;

/// <summary>Turns stored messages into the wire shape; attachment links are signed for the viewer.</summary>
public sealed class MessageMapper(AttachmentLinks links)
{
    /// <summary>Messages with everything their DTO needs, in one query.</summary>
    public static IQueryable<ChatMessage> WithDetails(IQueryable<ChatMessage> messages) =>
        messages.AsNoTracking().Include(m => m.User).Include(m => m.Reactions.OrderBy(r => r.Id)).ThenInclude(r => r.User);

    public MessageDto ToDto(ChatMessage m, int viewerId) => new(
        m.Id,
        m.RoomId,
        UserDto.From(m.User),
        m.Content,
        m.Type.ToWire(),
        m.AttachmentPublicId is null ? null : links.Link(m.AttachmentPublicId, thumbnail: false, viewerId),
        m.AttachmentName,
        m.AttachmentSize,
        m.AttachmentPublicId is null || m.ThumbnailKey is null ? null : links.Link(m.AttachmentPublicId, thumbnail: true, viewerId),
        m.ClientId,
        m.Reactions.Select(ToDto).ToList(),
        m.CreatedAt,
        m.UpdatedAt,
        m.IsEdited,
        m.EditedAt);

    public static ReactionDto ToDto(MessageReaction r) => new(r.Id, UserDto.From(r.User), r.Emoji, r.CreatedAt);
}
