using System.Text.Json.Serialization;
using Switchboard.Features.Users;

namespace Switchboard.Features.Notifications;

public sealed record NotificationDto(long Id, string Type, UserDto? Actor, int? Project, int? Room, int? Message, int? Ticket,
    string Excerpt, DateTime CreatedAt, DateTime? ReadAt);

public sealed record UnreadCountDto(int UnreadCount);

public sealed record MarkNotificationsReadRequest(long[]? Ids, bool? All);

public sealed record MarkNotificationsReadDto(IReadOnlyList<long> Ids, int UnreadCount);

// User frames, delivered through IUserPush.

public sealed record NotificationCreatedFrame(NotificationDto Notification)
{
    [JsonPropertyOrder(-1)]
    public string Type => "notification_created";
}

public sealed record NotificationsReadFrame(IReadOnlyList<long> Ids)
{
    [JsonPropertyOrder(-1)]
    public string Type => "notifications_read";
}

// unread_updated is Realtime.UnreadUpdatedFrame, shared with the user socket's own counting.
