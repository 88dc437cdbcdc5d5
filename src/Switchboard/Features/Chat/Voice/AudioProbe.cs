namespace Switchboard.Features.Chat.Voice;

/// <param name="ContentType">What the bytes are: <c>audio/ogg</c>, <c>audio/webm</c> or <c>audio/mp4</c>.</param>
/// <param name="DurationMs">The audio's length as measured from the file.</param>
public sealed record AudioMeasure(string ContentType, long DurationMs);

/// <summary>
/// Checks that a stored file is a voice recording (Ogg/Opus, WebM/Opus or MP4/AAC, told apart by
/// its first bytes) and measures its length from the container's own structure, never from a
/// client's claim (docs/decisions/1301-voice-duration-per-container.md).
/// </summary>
public static class AudioProbe
{
    public const long MaxDurationMs = 5 * 60 * 1000;
    public const string TooLong = "A voice message can be at most 5 minutes long.";
    public const string LengthMismatch = "The file's declared length does not match the audio it holds: it is damaged or cut short.";
    public const string NotAudio = "Upload an Ogg/Opus, WebM/Opus or MP4/AAC recording.";

    // Parsing stops a little past the limit: a longer file is refused without being read to its end.
    private const long MaxSamples = (MaxDurationMs + 2_000) * OpusPackets.SampleRate / 1000;
    private const long MaxSeconds = MaxDurationMs / 1000 + 2;

    /// <summary>The recording's type and length, or the reason it is refused (for the <c>attachment</c> field).</summary>
    public static (AudioMeasure? Audio, string? Error) Check(Stream file, ReadOnlySpan<byte> head)
    {
        try
        {
            using var source = new ByteSource(file);
            AudioMeasure audio;
            if (OggOpusReader.Matches(head))
            {
                audio = OggOpusReader.Measure(source, MaxSamples);
            }
            else if (WebmOpusReader.Matches(head))
            {
                audio = WebmOpusReader.Measure(source, MaxSamples);
            }
            else if (Mp4AacReader.Matches(head))
            {
                audio = Mp4AacReader.Measure(source, MaxSeconds);
            }
            else
            {
                return (null, NotAudio);
            }
            if (audio.DurationMs > MaxDurationMs)
            {
                return (null, TooLong);
            }
            return audio.DurationMs <= 0 ? (null, "The recording holds no audio.") : (audio, null);
        }
        catch (InvalidAudioException e)
        {
            return (null, e.Message);
        }
        catch (Exception e) when (e is OverflowException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            // Numbers in a hostile header that no real recording has (lengths near 2^63 and the like).
            return (null, "The file is damaged: its headers hold impossible values.");
        }
    }

    /// <summary>The text a voice message shows where there is no player: "Voice message (1:05)".</summary>
    public static string Describe(long durationMs)
    {
        var seconds = (durationMs + 500) / 1000;
        return $"Voice message ({seconds / 60}:{seconds % 60:00})";
    }
}
