using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;

namespace Switchboard.Tests.Features.Chat;

/// <summary>
/// Real recordings for the voice tests, made by ffmpeg (scripts/test.sh installs it) once per run:
/// a sine tone of the asked length in the asked container; past a minute, silence encoded cheaply
/// (the length is what those tests are about, and a sine that long costs seconds of CPU).
/// </summary>
public static class VoiceMedia
{
    private static readonly string Folder = Directory.CreateTempSubdirectory("switchboard-voice-").FullName;
    private static readonly ConcurrentDictionary<string, Lazy<byte[]>> Made = new();

    /// <param name="extension">ogg (Opus), webm (Opus) or m4a (AAC).</param>
    public static byte[] Tone(double seconds, string extension, string? extra = null) =>
        Made.GetOrAdd($"{seconds}-{extra}.{extension}", name => new Lazy<byte[]>(() => Make(name, seconds, extension, extra))).Value;

    private static byte[] Make(string name, double seconds, string extension, string? extra)
    {
        var path = Path.Combine(Folder, name);
        var codec = extension == "m4a" ? "aac" : "libopus";
        var length = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        string[] input = seconds <= 60
            ? ["-f", "lavfi", "-i", $"sine=frequency=440:duration={length}", "-c:a", codec]
            : extension == "m4a"
                ? ["-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", length, "-c:a", codec, "-b:a", "16k"]
                : ["-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono", "-t", length, "-c:a", codec, "-b:a", "8k", "-compression_level", "0"];
        foreach (var arg in (string[])["-v", "error", "-y", .. input])
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var arg in (extra ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            start.ArgumentList.Add(arg);
        }
        start.ArgumentList.Add(path);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start (apt-get install ffmpeg).");
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg failed: {errors}");
        }
        return File.ReadAllBytes(path);
    }

    /// <summary>The same WebM with its Segment Duration claiming <paramref name="ms"/>.</summary>
    public static byte[] WithWebmDuration(byte[] webm, double ms)
    {
        var copy = (byte[])webm.Clone();
        // Duration (0x4489) written by ffmpeg as an 8-byte float.
        var at = copy.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x44, 0x89, 0x88]);
        Assert.True(at > 0, "no Duration element");
        BinaryPrimitives.WriteDoubleBigEndian(copy.AsSpan(at + 3), ms);
        return copy;
    }

    /// <summary>The same MP4 with its track header (mdhd, version 0) claiming <paramref name="units"/> of its time scale.</summary>
    public static byte[] WithMp4TrackDuration(byte[] mp4, uint units)
    {
        var copy = (byte[])mp4.Clone();
        var at = copy.AsSpan().IndexOf("mdhd"u8);
        Assert.True(at > 0 && copy[at + 4] == 0, "no version 0 mdhd");
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(at + 4 + 16), units);
        return copy;
    }
}
