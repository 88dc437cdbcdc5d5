using Switchboard.Features.Chat.Voice;
using Switchboard.Infrastructure.Storage;

namespace Switchboard.Features.Chat.Messages;

/// <summary>A voice message's checked upload: what the file is, how long it lasts, and its waveform.</summary>
public sealed record VoiceNote(string ContentType, int DurationMs, byte[]? Waveform)
{
    public string Content => AudioProbe.Describe(DurationMs);

    public static async Task<(VoiceNote? Note, ChatError? Error)> CheckAsync(IFileStorage storage, UploadedFile file, string? waveformText,
        CancellationToken ct)
    {
        var (waveform, waveformError) = Voice.Waveform.Parse(waveformText);
        if (waveformError is not null)
        {
            return (null, ChatError.Validation("waveform", waveformError));
        }
        await using var stream = await storage.OpenReadAsync(file.Stored.StorageKey, ct)
            ?? throw new InvalidOperationException("An upload vanished before it was checked.");
        // Synchronous reads of a local file, after the upload has been stored: the parser only
        // touches headers and packet starts (docs/decisions/1302-voice-parser-bounds.md).
        var (audio, error) = AudioProbe.Check(stream, file.Stored.Head);
        return audio is null
            ? (null, ChatError.Validation("attachment", error!))
            : (new VoiceNote(audio.ContentType, (int)audio.DurationMs, waveform), null);
    }
}
