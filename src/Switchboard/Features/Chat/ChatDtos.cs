using Switchboard.Features.Users;

namespace Switchboard.Features.Chat;

public sealed record ReactionDto(int Id, UserDto User, string Emoji, DateTime CreatedAt);

/// <summary>The reference's ChatMessage type, plus <c>thumbnail_url</c>, <c>client_id</c>, the pin fields, the thread summary, <c>mentions</c>, <c>event</c> and <c>tickets</c>.</summary>
public sealed record MessageDto(
    int Id,
    int Room,
    UserDto User,
    string Content,
    string Type,
    string? AttachmentUrl,
    string? AttachmentName,
    long? AttachmentSize,
    string? ThumbnailUrl,
    string? ClientId,
    IReadOnlyList<ReactionDto> Reactions,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    bool IsEdited,
    DateTime? EditedAt,
    bool IsPinned,
    UserDto? PinnedBy,
    DateTime? PinnedAt,
    int? ThreadRootId,
    bool AlsoSendToRoom,
    int ReplyCount,
    DateTime? LastReplyAt,
    IReadOnlyList<UserDto> ThreadParticipants,
    bool IsFollowing,
    Messages.MentionsDto Mentions,
    bool IsDeleted,
    System.Text.Json.JsonElement? Event = null,
    IReadOnlyList<TicketsInChat.TicketChipDto>? Tickets = null);

/// <summary>An earlier version of an edited message; <c>edited_at</c> is when the next edit replaced it.</summary>
public sealed record MessageVersionDto(string Content, DateTime EditedAt);

public sealed record ParticipantDto(int Id, UserDto User, DateTime JoinedAt, DateTime? LastReadAt, int? LastReadMessageId);

public sealed record RoomDto(
    int Id,
    string? Name,
    string DisplayName,
    string Type,
    int Project,
    UserDto CreatedBy,
    IReadOnlyList<ParticipantDto> Participants,
    MessageDto? LastMessage,
    int UnreadCount,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int MentionCount,
    int UnreadThreadCount);

public sealed record MarkReadDto(int? LastReadMessageId, DateTime? LastReadAt, int UnreadCount);
