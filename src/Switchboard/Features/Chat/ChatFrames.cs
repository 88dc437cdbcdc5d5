using System.Text.Json.Serialization;
using Switchboard.Features.Users;

namespace Switchboard.Features.Chat;

// The room events that chat changes publish (Realtime.IRoomEvents), one record per frame type.
// Serialized with the app's JSON options: snake_case names, "type" first.

public sealed record MessageNewFrame(MessageDto Message, string? ClientId)
{
    [JsonPropertyOrder(-1)]
    public string Type => "message_new";
}

public sealed record MessageEditedFrame(MessageDto Message)
{
    [JsonPropertyOrder(-1)]
    public string Type => "message_edited";
}

public sealed record MessageDeletedFrame(int MessageId)
{
    [JsonPropertyOrder(-1)]
    public string Type => "message_deleted";
}

public sealed record ReactionAddedFrame(int MessageId, ReactionDto Reaction)
{
    [JsonPropertyOrder(-1)]
    public string Type => "reaction_added";
}

public sealed record ReactionRemovedFrame(int MessageId, int UserId, string Emoji)
{
    [JsonPropertyOrder(-1)]
    public string Type => "reaction_removed";
}

public sealed record UserJoinedFrame(UserDto User)
{
    [JsonPropertyOrder(-1)]
    public string Type => "user_joined";
}

/// <summary>Published with <see cref="Realtime.RoomEventEffect.DisconnectUser"/> for the user who left.</summary>
public sealed record UserLeftFrame(UserDto User)
{
    [JsonPropertyOrder(-1)]
    public string Type => "user_left";
}

public sealed record RoomReadFrame(int UserId, DateTime LastReadAt)
{
    [JsonPropertyOrder(-1)]
    public string Type => "room_read";
}

/// <summary>Published with <see cref="Realtime.RoomEventEffect.CloseRoom"/>.</summary>
public sealed record RoomDeletedFrame(int RoomId)
{
    [JsonPropertyOrder(-1)]
    public string Type => "room_deleted";
}

public sealed record ThreadUpdatedFrame(int RoomId, int RootId, int ReplyCount, DateTime? LastReplyAt, IReadOnlyList<UserDto> ThreadParticipants)
{
    [JsonPropertyOrder(-1)]
    public string Type => "thread_updated";
}

/// <summary>At most one per user and room every two seconds (ReadReceipts), and never for someone who does not share receipts.</summary>
public sealed record ReadReceiptFrame(int RoomId, int UserId, int? LastReadMessageId, DateTime ReadAt)
{
    [JsonPropertyOrder(-1)]
    public string Type => "read_receipt";
}

/// <summary><paramref name="Message"/> is the pinned message as it is now, so a pin bar can show it without a lookup.</summary>
public sealed record MessagePinnedFrame(int RoomId, int MessageId, UserDto PinnedBy, MessageDto Message)
{
    [JsonPropertyOrder(-1)]
    public string Type => "message_pinned";
}

/// <summary><paramref name="PinnedBy"/> is whoever took the pin down (the contract keeps one shape for both pin events).</summary>
public sealed record MessageUnpinnedFrame(int RoomId, int MessageId, UserDto PinnedBy)
{
    [JsonPropertyOrder(-1)]
    public string Type => "message_unpinned";
}

/// <summary>Published with <see cref="Realtime.RoomEvent.Droppable"/>, to everyone but the typist.</summary>
public sealed record UserTypingFrame(int UserId, bool IsTyping)
{
    [JsonPropertyOrder(-1)]
    public string Type => "user_typing";
}

// User frames (user socket only), published on Realtime.IUserEvents.

/// <summary>The user is in a new room (created with them, or added): sent with the JoinRoom effect.</summary>
public sealed record RoomAddedFrame(RoomDto Room)
{
    [JsonPropertyOrder(-1)]
    public string Type => "room_added";
}

/// <summary>The user left or was removed, or the room was deleted: sent with the LeaveRoom effect.</summary>
public sealed record RoomRemovedFrame(int RoomId)
{
    [JsonPropertyOrder(-1)]
    public string Type => "room_removed";
}

/// <summary>Someone joined or left, or the room was renamed: the room as this user sees it now.</summary>
public sealed record RoomUpdatedFrame(RoomDto Room)
{
    [JsonPropertyOrder(-1)]
    public string Type => "room_updated";
}

