using System.Text.Json;

namespace Switchboard.Features.Chat.Messages;

/// <summary>
/// The structured <c>event</c> of a <c>system</c> message: an object with a <c>kind</c> and whatever
/// fields that kind needs (ids, never names or titles, which clients read live).
/// </summary>
public static class SystemMessages
{
    public const int MaxEventLength = 4000;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>
    /// The event as stored: <paramref name="fields"/> (an anonymous object or a record, written in
    /// snake_case) after <c>kind</c>.
    /// </summary>
    public static string WriteEvent(string kind, object? fields = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        var json = new Dictionary<string, JsonElement> { ["kind"] = JsonSerializer.SerializeToElement(kind, Options) };
        if (fields is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(fields, fields.GetType(), Options).EnumerateObject())
            {
                if (property.Name != "kind")
                {
                    json[property.Name] = property.Value.Clone();
                }
            }
        }
        var text = JsonSerializer.Serialize(json, Options);
        if (text.Length > MaxEventLength)
        {
            throw new ArgumentException($"A system message's event is limited to {MaxEventLength} characters.", nameof(fields));
        }
        return text;
    }

    public static JsonElement? ReadEvent(string? json)
    {
        if (json is null)
        {
            return null;
        }
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

/// <summary>A <c>system</c> message to post: written by the server for <paramref name="ActorId"/>'s action.</summary>
/// <param name="Content">Plain, non-blank text that reads well on its own (clients without a renderer for the event show it).</param>
/// <param name="EventJson">From <see cref="SystemMessages.WriteEvent"/>.</param>
/// <param name="ThreadRootId">A root of the same room to post into its thread, or null for the room's timeline.</param>
public sealed record SystemMessageInput(int RoomId, int ActorId, string Content, string EventJson, int? ThreadRootId = null);
