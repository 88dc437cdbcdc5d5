using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Realtime;

/// <summary>A frame a client sent over the chat socket, already checked for shape.</summary>
public abstract record ClientFrame;

public sealed record AuthFrame(string Token) : ClientFrame;
public sealed record PingFrame : ClientFrame;
public sealed record TypingFrame(bool IsTyping) : ClientFrame;
public sealed record MessageSendFrame(string Content, string MessageType, string? ClientId) : ClientFrame;
public sealed record MessageEditFrame(long MessageId, string Content) : ClientFrame;
public sealed record MessageDeleteFrame(long MessageId) : ClientFrame;
public sealed record ReactionFrame(long MessageId, string Emoji, bool Add) : ClientFrame;

/// <summary>Frames the server sends on its own account (room events bring their own frames).</summary>
public sealed record ErrorFrame(string Code, string Detail, string? ClientId = null)
{
    public string Type => "error";
}

public sealed record PongFrame
{
    public string Type => "pong";
}

public sealed record UserTypingFrame(int UserId, bool IsTyping)
{
    public string Type => "user_typing";
}

/// <summary>Error codes of <see cref="ErrorFrame"/>; the vocabulary matches the REST problem statuses.</summary>
public static class ErrorCodes
{
    public const string InvalidJson = "invalid_json";
    public const string UnknownType = "unknown_type";
    public const string InvalidFrame = "invalid_frame";
    public const string Validation = "validation_error";
    public const string NotFound = "not_found";
    public const string Forbidden = "forbidden";
    public const string RateLimited = "rate_limited";
    public const string NotAuthenticated = "not_authenticated";
    public const string PayloadTooLarge = "payload_too_large";
}

public static class Protocol
{
    /// <summary>A frame's wire bytes: the app's JSON options, or the bytes it already arrived as.</summary>
    public static byte[] ToUtf8(object frame) =>
        frame is SerializedFrame serialized ? serialized.Utf8 : JsonSerializer.SerializeToUtf8Bytes(frame, frame.GetType(), Json.Options);

    /// <summary>Parses one text frame; returns the frame, or an error frame to send back.</summary>
    public static (ClientFrame? Frame, ErrorFrame? Error) Parse(ReadOnlySpan<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            return (null, new ErrorFrame(ErrorCodes.InvalidJson, "The frame is not valid JSON."));
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, new ErrorFrame(ErrorCodes.InvalidFrame, "A frame is a JSON object with a \"type\"."));
            }
            if (!root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                return (null, new ErrorFrame(ErrorCodes.InvalidFrame, "type: This field is required."));
            }
            var type = typeElement.GetString()!;
            var clientId = OptionalString(root, "client_id");
            try
            {
                ClientFrame frame = type switch
                {
                    "auth" => new AuthFrame(RequiredString(root, "token")),
                    "ping" => new PingFrame(),
                    "typing" => new TypingFrame(RequiredBool(root, "is_typing")),
                    "message_send" => new MessageSendFrame(
                        OptionalString(root, "content") ?? "",
                        OptionalString(root, "message_type") ?? "text",
                        clientId),
                    "message_edit" => new MessageEditFrame(RequiredId(root, "message_id"), RequiredString(root, "content")),
                    "message_delete" => new MessageDeleteFrame(RequiredId(root, "message_id")),
                    "reaction_add" => new ReactionFrame(RequiredId(root, "message_id"), RequiredString(root, "emoji"), Add: true),
                    "reaction_remove" => new ReactionFrame(RequiredId(root, "message_id"), RequiredString(root, "emoji"), Add: false),
                    _ => throw new UnknownTypeException(type),
                };
                return (frame, null);
            }
            catch (UnknownTypeException)
            {
                var shown = type.Length > 40 ? type[..40] + "…" : type;
                return (null, new ErrorFrame(ErrorCodes.UnknownType, $"Unknown frame type \"{shown}\".", clientId));
            }
            catch (FrameFieldException e)
            {
                return (null, new ErrorFrame(ErrorCodes.InvalidFrame, e.Message, clientId));
            }
        }
    }

    private static string RequiredString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FrameFieldException($"{name}: A string is required.");

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool RequiredBool(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : throw new FrameFieldException($"{name}: true or false is required.");

    private static long RequiredId(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var id) && id > 0
            ? id
            : throw new FrameFieldException($"{name}: A positive integer id is required.");

    private sealed class UnknownTypeException(string type) : Exception(type);

    private sealed class FrameFieldException(string message) : Exception(message);
}
