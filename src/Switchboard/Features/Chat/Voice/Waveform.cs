using System.Text.Json;

namespace Switchboard.Features.Chat.Voice;

/// <summary>A voice message's waveform as the client drew it: up to 100 bar heights, 0-255.</summary>
public static class Waveform
{
    public const int MaxBars = 100;

    /// <summary>Parses the multipart field's JSON array; null and an error when its shape is wrong.</summary>
    public static (byte[]? Bars, string? Error) Parse(string? text)
    {
        const string shape = "Send a JSON array of 1 to 100 integers from 0 to 255.";
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null);
        }
        if (text.Length > 4 * 1024)
        {
            return (null, shape);
        }
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                return (null, shape);
            }
            var length = doc.RootElement.GetArrayLength();
            if (length is 0 or > MaxBars)
            {
                return (null, shape);
            }
            var bars = new byte[length];
            var i = 0;
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var value) || value is < 0 or > 255)
                {
                    return (null, shape);
                }
                bars[i++] = (byte)value;
            }
            return (bars, null);
        }
        catch (JsonException)
        {
            return (null, shape);
        }
    }
}
