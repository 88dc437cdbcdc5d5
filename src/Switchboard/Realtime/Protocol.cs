using System.Text.Json;
using System.Text.Json.Serialization;
using Switchboard.Infrastructure;

namespace Switchboard.Realtime;

// The socket protocol's general part: the frames every socket understands (auth, ping, activity,
// topics) and the server's own frames. Features own their frames and handlers (ISocketFrameHandler),
// e.g. Features/Chat/ChatFrames.cs. Every record serializes with the app's JSON options, "type" first.

public sealed record ErrorFrame(string Code, string Detail, string? ClientId = null)
{
    [JsonPropertyOrder(-1)]
    public string Type => "error";
}

public sealed record PongFrame
{
    public string Type => "pong";
}

public sealed record HelloFrame(int UserId, long? SessionId, DateTime ServerTime, int HeartbeatSeconds)
{
    [JsonPropertyOrder(-1)]
    public string Type => "hello";
}

public sealed record SubscribedFrame(IReadOnlyList<string> Topics)
{
    [JsonPropertyOrder(-1)]
    public string Type => "subscribed";
}

public sealed record UnsubscribedFrame(IReadOnlyList<string> Topics)
{
    [JsonPropertyOrder(-1)]
    public string Type => "unsubscribed";
}

/// <summary>A frame's field is missing or of the wrong kind: answered with <c>invalid_frame</c>.</summary>
public sealed class FrameFieldException(string message) : Exception(message);

/// <summary>One client frame, parsed: its <see cref="Type"/> and typed access to its fields.</summary>
public sealed class SocketFrame(string type, JsonElement root)
{
    public string Type { get; } = type;
    public string? ClientId { get; } = OptionalString(root, "client_id");

    public string RequiredString(string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FrameFieldException($"{name}: A string is required.");

    public string? OptionalString(string name) => OptionalString(root, name);

    /// <summary>A field as it came, for frames with nested values; null when absent.</summary>
    public JsonElement? Field(string name) => root.TryGetProperty(name, out var value) ? value : null;

    public bool RequiredBool(string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : throw new FrameFieldException($"{name}: true or false is required.");

    public long RequiredId(string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var id) && id > 0
            ? id
            : throw new FrameFieldException($"{name}: A positive integer id is required.");

    /// <summary>An id that may be left out (or sent as null); anything else but a positive integer is an error.</summary>
    public long? OptionalId(string name) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null : RequiredId(name);

    /// <summary>A flag that may be left out (or sent as null), false then.</summary>
    public bool OptionalBool(string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null && RequiredBool(name);

    public IReadOnlyList<string> RequiredStrings(string name, int max)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array)
        {
            throw new FrameFieldException($"{name}: A list of strings is required.");
        }
        if (value.GetArrayLength() > max)
        {
            throw new FrameFieldException($"{name}: Ensure this list has no more than {max} items.");
        }
        var list = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            list.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw new FrameFieldException($"{name}: A list of strings is required."));
        }
        return list;
    }

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

public static class Protocol
{
    /// <summary>A frame's wire bytes: the app's JSON options, or the bytes it already arrived as.</summary>
    public static byte[] ToUtf8(object frame) =>
        frame is SerializedFrame serialized ? serialized.Utf8 : JsonSerializer.SerializeToUtf8Bytes(frame, frame.GetType(), Json.Options);

    /// <summary>
    /// Parses one text frame into a document and its type, or an error frame to send back. The
    /// caller disposes the document once the frame is handled.
    /// </summary>
    public static (JsonDocument? Document, SocketFrame? Frame, ErrorFrame? Error) Parse(ReadOnlySpan<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            return (null, null, new ErrorFrame(ErrorCodes.InvalidJson, "The frame is not valid JSON."));
        }
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return (null, null, new ErrorFrame(ErrorCodes.InvalidFrame, "A frame is a JSON object with a \"type\"."));
        }
        if (!root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            document.Dispose();
            return (null, null, new ErrorFrame(ErrorCodes.InvalidFrame, "type: This field is required."));
        }
        return (document, new SocketFrame(typeElement.GetString()!, root), null);
    }

    public static ErrorFrame UnknownType(SocketFrame frame)
    {
        var shown = frame.Type.Length > 40 ? frame.Type[..40] + "…" : frame.Type;
        return new ErrorFrame(ErrorCodes.UnknownType, $"Unknown frame type \"{shown}\".", frame.ClientId);
    }

    /// <summary>Whether a serialized JSON object has the property at its top level (not inside a nested value).</summary>
    public static bool HasTopLevelProperty(ReadOnlySpan<byte> utf8, ReadOnlySpan<byte> name)
    {
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name))
            {
                return true;
            }
            reader.Read();
            reader.Skip();
        }
        return false;
    }
}
