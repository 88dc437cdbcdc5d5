using System.Text.Json;
using System.Text.Unicode;

namespace Switchboard.Infrastructure;

/// <summary>
/// Text a client sends must be storable by both databases: PostgreSQL's text type cannot hold
/// U+0000, and no text may be invalid UTF-8. Both are refused at the edge with a 400 naming the
/// field (<see cref="TextInputMiddleware"/>), and again where text is validated (FieldErrors.Text,
/// the chat service for socket frames), so no handler has to remember it.
/// </summary>
public static class TextInput
{
    public const string NulMessage = "Null characters are not allowed.";
    public const string InvalidUtf8Message = "The request body is not valid UTF-8.";

    public static bool HasNul(string? value) => value is not null && value.Contains('\0');

    /// <summary>The top-level field of the first string in a JSON document that holds a NUL; null when none does or the JSON is malformed.</summary>
    public static string? FindNulField(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        string? field = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || !reader.ValueIsEscaped ||
                    reader.ValueSpan.IndexOf("u0000"u8) < 0)
                {
                    if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                    {
                        field = reader.GetString();
                    }
                    continue;
                }
                // Escaped and mentions u0000: unescape to tell "\u0000" from "\\u0000".
                if (reader.GetString()!.Contains('\0'))
                {
                    return reader.TokenType == JsonTokenType.PropertyName || field is null ? "non_field_errors" : field;
                }
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                {
                    field = reader.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // Malformed: the endpoint's own reading answers 400 for it.
        }
        return null;
    }
}

/// <summary>
/// Refuses NUL in the query string (400 naming the parameter; the server itself refuses %00 in
/// the path), and checks JSON bodies for invalid UTF-8 and NUL (400) before any endpoint reads
/// them, whether it binds a record or reads a JsonElement by hand.
/// </summary>
public sealed class TextInputMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (request.QueryString.HasValue)
        {
            foreach (var (name, values) in request.Query)
            {
                if (TextInput.HasNul(name) || values.Any(TextInput.HasNul))
                {
                    await Problems.Validation(TextInput.HasNul(name) ? "non_field_errors" : name, TextInput.NulMessage).ExecuteAsync(http);
                    return;
                }
            }
        }
        if (request.HasJsonContentType() && request.Path.StartsWithSegments("/api"))
        {
            // JSON bodies are read whole by every endpoint anyway; reading them here first costs one copy.
            var body = new MemoryStream();
            http.Response.RegisterForDispose(body);
            await request.Body.CopyToAsync(body, http.RequestAborted);
            var bytes = body.GetBuffer().AsSpan(0, (int)body.Length);
            if (!Utf8.IsValid(bytes))
            {
                await Problems.Validation("non_field_errors", TextInput.InvalidUtf8Message).ExecuteAsync(http);
                return;
            }
            if (TextInput.FindNulField(bytes) is { } field)
            {
                await Problems.Validation(field, TextInput.NulMessage).ExecuteAsync(http);
                return;
            }
            body.Position = 0;
            request.Body = body;
        }
        await next(http);
    }
}
