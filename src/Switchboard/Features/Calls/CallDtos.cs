using System.Text.Json.Serialization;
using Switchboard.Features.Users;

namespace Switchboard.Features.Calls;

public sealed record StartCallRequest(string? Media);

public sealed record CallParticipantDto(UserDto User, string State, DateTime? JoinedAt, DateTime? LeftAt);

public sealed record CallDto(int Id, int Room, string Media, UserDto StartedBy, string State, IReadOnlyList<CallParticipantDto> Participants,
    DateTime StartedAt, DateTime? AnsweredAt, DateTime? EndedAt, long? DurationMs);

public sealed record IceServerDto(IReadOnlyList<string> Urls,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Username,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Credential);

public sealed record IceServersDto(IReadOnlyList<IceServerDto> IceServers, int TtlSeconds, string IceTransportPolicy);

// User frames (user socket only) about calls, for every participant of the call's room.

/// <summary><c>call_ringing</c>, <c>call_joined</c>, <c>call_left</c>, <c>call_declined</c>, <c>call_ended</c>.</summary>
public sealed record CallEventFrame(
    [property: JsonPropertyOrder(-1)] string Type,
    int RoomId,
    CallDto Call,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? UserId = null);

/// <summary>A signalling frame on its way to <c>to_user_id</c>: what the sender wrote, plus who sent it.</summary>
public sealed record CallSignalFrame(
    [property: JsonPropertyOrder(-1)] string Type,
    int CallId,
    int FromUserId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Sdp,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IceCandidateDto? Candidate);

/// <summary>An ICE candidate as WebRTC's RTCIceCandidateInit has it, in the API's snake_case.</summary>
public sealed record IceCandidateDto(string Candidate, string? SdpMid, int? SdpMLineIndex, string? UsernameFragment);
