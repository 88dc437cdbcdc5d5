using System.Text.Json;
using Switchboard.Infrastructure;
using Switchboard.Realtime;

namespace Switchboard.Features.Calls;

/// <summary>
/// Relays WebRTC signalling (<c>call_offer</c>, <c>call_answer</c>, <c>call_ice</c>) from one person
/// in a call to another, on whatever instance the target is connected. Both must have joined the
/// call: someone only being rung gets nothing until they answer, so nobody learns their network
/// addresses before they agreed to talk. Nothing is stored.
/// </summary>
public sealed class CallSignalling(IServiceScopeFactory scopes, IUserEvents userEvents) : ISocketFrameHandler
{
    public const int MaxSdpLength = 32 * 1024;
    public const int MaxCandidateLength = 2048;

    public IReadOnlyCollection<string> FrameTypes { get; } = ["call_offer", "call_answer", "call_ice"];

    public async Task<ErrorFrame?> HandleAsync(SocketFrame frame, SocketSession session, CancellationToken ct)
    {
        var callId = frame.RequiredId("call_id");
        var toUserId = frame.RequiredId("to_user_id");
        string? sdp = null;
        IceCandidateDto? candidate = null;
        if (frame.Type == "call_ice")
        {
            candidate = ReadCandidate(frame.Field("candidate"));
        }
        else
        {
            sdp = frame.RequiredString("sdp");
            if (sdp.Length > MaxSdpLength)
            {
                throw new FrameFieldException($"sdp: Ensure this field has no more than {MaxSdpLength} characters.");
            }
        }
        if (callId > int.MaxValue || toUserId > int.MaxValue)
        {
            return NotFound();
        }

        await using (var scope = scopes.CreateAsyncScope())
        {
            var calls = scope.ServiceProvider.GetRequiredService<CallService>();
            if (!await calls.BothJoinedAsync((int)callId, session.UserId, (int)toUserId, ct))
            {
                return NotFound();
            }
        }
        await userEvents.PublishAsync(new UserEvent((int)toUserId, new CallSignalFrame(frame.Type, (int)callId, session.UserId, sdp, candidate)), ct);
        return null;
    }

    private static ErrorFrame NotFound() => new(ErrorCodes.NotFound, "Call not found, or you or that person are not in it.");

    /// <summary>An RTCIceCandidateInit in snake_case; an empty <c>candidate</c> is the end-of-candidates marker.</summary>
    private static IceCandidateDto ReadCandidate(JsonElement? field)
    {
        if (field is not { ValueKind: JsonValueKind.Object } value)
        {
            throw new FrameFieldException("candidate: An object with a \"candidate\" string is required.");
        }
        var text = Text(value, "candidate", MaxCandidateLength, required: true)!;
        var mid = Text(value, "sdp_mid", 256, required: false);
        var fragment = Text(value, "username_fragment", 256, required: false);
        int? index = null;
        if (value.TryGetProperty("sdp_m_line_index", out var i) && i.ValueKind != JsonValueKind.Null)
        {
            index = i.ValueKind == JsonValueKind.Number && i.TryGetInt32(out var n) && n is >= 0 and <= 1024
                ? n
                : throw new FrameFieldException("candidate.sdp_m_line_index: An integer from 0 to 1024, or null, is required.");
        }
        return new IceCandidateDto(text, mid, index, fragment);
    }

    private static string? Text(JsonElement value, string name, int max, bool required)
    {
        if (!value.TryGetProperty(name, out var field) || field.ValueKind == JsonValueKind.Null)
        {
            return required ? throw new FrameFieldException($"candidate.{name}: This field is required.") : null;
        }
        if (field.ValueKind != JsonValueKind.String)
        {
            throw new FrameFieldException($"candidate.{name}: A string is required.");
        }
        var text = field.GetString()!;
        return text.Length <= max ? text : throw new FrameFieldException($"candidate.{name}: Ensure this field has no more than {max} characters.");
    }
}
