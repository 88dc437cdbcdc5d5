using Switchboard.Features.Chat.Attachments;
using Switchboard.Features.Users;

namespace Switchboard.Features.Chat.Messages;

/// <summary>A message as read for a response: only the columns its JSON shows.</summary>
public sealed record MessageRow(int Id, int RoomId, UserRow User, string Content, MessageType Type, string? AttachmentPublicId,
    string? AttachmentName, long? AttachmentSize, bool HasThumbnail, string? ClientId, DateTime CreatedAt, DateTime UpdatedAt,
    bool IsEdited, DateTime? EditedAt, List<ReactionRow> Reactions, UserRow? PinnedBy = null, DateTime? PinnedAt = null);

public sealed record ReactionRow(int Id, UserRow User, string Emoji, DateTime CreatedAt)
{
    public ReactionDto ToDto() => new(Id, User.ToDto(), Emoji, CreatedAt);
}

/// <summary>Turns stored messages into the wire shape; attachment links are signed for the viewer.</summary>
public sealed class MessageMapper(AttachmentLinks links)
{
    /// <summary>
    /// Messages with everything their DTO needs, in one query. A projection rather than entities with
    /// includes: it reads neither the search vector nor the users' password hashes.
    /// </summary>
    public static IQueryable<MessageRow> ToRows(IQueryable<ChatMessage> messages) =>
        messages.Select(m => new MessageRow(
            m.Id,
            m.RoomId,
            new UserRow(m.User.Id, m.User.Username, m.User.Email, m.User.FirstName, m.User.LastName, m.User.AvatarId),
            m.Content,
            m.Type,
            m.AttachmentPublicId,
            m.AttachmentName,
            m.AttachmentSize,
            m.ThumbnailKey != null,
            m.ClientId,
            m.CreatedAt,
            m.UpdatedAt,
            m.IsEdited,
            m.EditedAt,
            m.Reactions.OrderBy(r => r.Id)
                .Select(r => new ReactionRow(r.Id, new UserRow(r.User.Id, r.User.Username, r.User.Email, r.User.FirstName, r.User.LastName, r.User.AvatarId),
                    r.Emoji, r.CreatedAt))
                .ToList(),
            m.PinnedBy == null ? null
                : new UserRow(m.PinnedBy.Id, m.PinnedBy.Username, m.PinnedBy.Email, m.PinnedBy.FirstName, m.PinnedBy.LastName, m.PinnedBy.AvatarId),
            m.PinnedAt));

    public MessageDto ToDto(MessageRow m, int viewerId) => new(
        m.Id,
        m.RoomId,
        m.User.ToDto(),
        m.Content,
        m.Type.ToWire(),
        m.AttachmentPublicId is null ? null : links.Link(m.AttachmentPublicId, thumbnail: false, viewerId),
        m.AttachmentName,
        m.AttachmentSize,
        m.AttachmentPublicId is null || !m.HasThumbnail ? null : links.Link(m.AttachmentPublicId, thumbnail: true, viewerId),
        m.ClientId,
        m.Reactions.Select(r => r.ToDto()).ToList(),
        m.CreatedAt,
        m.UpdatedAt,
        m.IsEdited,
        m.EditedAt,
        m.PinnedAt is not null,
        m.PinnedAt is null ? null : m.PinnedBy?.ToDto(),
        m.PinnedAt);

    /// <summary>A message just written (with its author loaded), as the same row a read would give.</summary>
    public static MessageRow ToRow(ChatMessage m, UserRow author) => new(
        m.Id, m.RoomId, author, m.Content, m.Type,
        m.AttachmentPublicId, m.AttachmentName, m.AttachmentSize, m.ThumbnailKey != null, m.ClientId, m.CreatedAt, m.UpdatedAt,
        m.IsEdited, m.EditedAt, []);
}
