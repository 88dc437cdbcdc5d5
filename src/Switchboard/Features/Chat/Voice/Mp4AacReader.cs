using System.Buffers.Binary;

namespace Switchboard.Features.Chat.Voice;

/// <summary>
/// Measures an MP4 (ISO BMFF) file with one AAC track, plain or fragmented. Boxes are walked flat
/// (containers entered, everything else skipped by seeking, so the media data is never read). The
/// packets' length is the sum of the sample durations (<c>stts</c>, or the fragments' <c>trun</c>
/// entries); the declared length is the track's <c>mdhd</c> duration, or the movie's when the
/// track leaves it blank, as fragmented files do. An edit list's start (the encoder's priming) is taken off.
/// </summary>
internal static class Mp4AacReader
{
    private static readonly HashSet<uint> Containers =
        [Box("moov"), Box("trak"), Box("mdia"), Box("minf"), Box("stbl"), Box("edts"), Box("mvex"), Box("moof"), Box("traf")];
    // The boxes read, and how many of their first bytes matter (all of them for the two tables).
    private static readonly Dictionary<string, int> Wanted = new()
    {
        ["mvhd"] = 32, ["mdhd"] = 32, ["hdlr"] = 12, ["stsd"] = 16, ["elst"] = 24, ["stsz"] = 12, ["trex"] = 20, ["tfhd"] = 32,
        ["stts"] = int.MaxValue, ["trun"] = int.MaxValue,
    };
    private const int MaxTable = 1024 * 1024;

    public static bool Matches(ReadOnlySpan<byte> head) => head.Length >= 8 && head[4..8].SequenceEqual("ftyp"u8);

    public static AudioMeasure Measure(ByteSource source, long maxSeconds)
    {
        long movieScale = 0, movieDuration = 0, trackScale = 0, trackDuration = 0;
        long sttsSamples = 0, sttsTotal = 0, stszSamples = -1, largestDelta = 0, editStart = 0;
        long fragmentTotal = 0, defaultDuration = 0, trexDefault = 0;
        var tracks = 0;
        var handler = 0u;
        var codec = 0u;
        var sawMoov = false;
        var boxes = 0;
        var first = true;
        // Each container's end, innermost last: a box may not run past the box holding it.
        var ends = new Stack<long>();

        while (!source.AtEnd)
        {
            while (ends.Count > 0 && source.Position >= ends.Peek())
            {
                ends.Pop();
            }
            if (++boxes > 200_000)
            {
                throw new InvalidAudioException("The MP4 file has too many boxes for a voice message.");
            }
            var start = source.Position;
            long size = source.ReadUInt32BigEndian();
            var type = source.ReadUInt32BigEndian();
            if (size == 1)
            {
                size = (long)Math.Min(source.ReadUInt64BigEndian(), long.MaxValue);
            }
            else if (size == 0)
            {
                size = source.Length - start;
            }
            var bodyLength = size - (source.Position - start);
            if (size > source.Length - start)
            {
                throw ByteSource.Truncated();
            }
            if (bodyLength < 0 || (ends.Count > 0 && start + size > ends.Peek()))
            {
                throw new InvalidAudioException("The MP4 file is damaged: a box does not fit.");
            }
            if (first && type != Box("ftyp"))
            {
                throw new InvalidAudioException("This is not an MP4 file.");
            }
            first = false;
            if (Containers.Contains(type))
            {
                if (type == Box("moov"))
                {
                    if (sawMoov)
                    {
                        throw new InvalidAudioException("The MP4 file has two movie headers.");
                    }
                    sawMoov = true;
                }
                if (type == Box("trak") && ++tracks > 1)
                {
                    throw new InvalidAudioException("The MP4 file has more than one track; a voice message is audio only.");
                }
                ends.Push(start + size);
                continue;
            }
            var name = Text(type);
            if (!Wanted.TryGetValue(name, out var want))
            {
                source.Skip(bodyLength);
                continue;
            }
            if (want == int.MaxValue && bodyLength > MaxTable)
            {
                throw new InvalidAudioException("The MP4 file's sample table is too large for a voice message.");
            }
            // Only the fields needed are read; the rest of the box is skipped.
            var body = new byte[Math.Min(bodyLength, want)];
            source.Read(body);
            source.Skip(bodyLength - body.Length);
            var b = body.AsSpan();
            switch (name)
            {
                case "mvhd":
                    (movieScale, movieDuration) = ScaleAndDuration(b);
                    break;
                case "mdhd":
                    (trackScale, trackDuration) = ScaleAndDuration(b);
                    break;
                case "hdlr" when b.Length >= 12:
                    handler = BinaryPrimitives.ReadUInt32BigEndian(b[8..]);
                    break;
                case "stsd" when b.Length >= 16:
                    codec = BinaryPrimitives.ReadUInt32BigEndian(b[12..]);
                    break;
                case "elst" when b.Length >= 8 && BinaryPrimitives.ReadUInt32BigEndian(b[4..]) > 0:
                    editStart = b[0] == 1
                        ? (b.Length >= 24 ? BinaryPrimitives.ReadInt64BigEndian(b[16..]) : 0)
                        : (b.Length >= 16 ? BinaryPrimitives.ReadInt32BigEndian(b[12..]) : 0);
                    break;
                case "stts":
                {
                    var entries = Need(b, 8) ? BinaryPrimitives.ReadUInt32BigEndian(b[4..]) : 0;
                    if (b.Length < 8 + entries * 8L)
                    {
                        throw Damaged();
                    }
                    for (var i = 0; i < entries; i++)
                    {
                        long count = BinaryPrimitives.ReadUInt32BigEndian(b[(8 + i * 8)..]);
                        long delta = BinaryPrimitives.ReadUInt32BigEndian(b[(12 + i * 8)..]);
                        sttsSamples += count;
                        sttsTotal += count * delta;
                        if (count > 0)
                        {
                            largestDelta = Math.Max(largestDelta, delta);
                        }
                    }
                    break;
                }
                case "stsz" when Need(b, 12):
                    stszSamples = BinaryPrimitives.ReadUInt32BigEndian(b[8..]);
                    break;
                case "trex" when Need(b, 16):
                    trexDefault = BinaryPrimitives.ReadUInt32BigEndian(b[12..]);
                    break;
                case "tfhd" when Need(b, 8):
                {
                    var flags = BinaryPrimitives.ReadUInt32BigEndian(b) & 0xFFFFFF;
                    var at = 8 + ((flags & 0x01) != 0 ? 8 : 0) + ((flags & 0x02) != 0 ? 4 : 0);
                    defaultDuration = (flags & 0x08) != 0 && Need(b, at + 4) ? BinaryPrimitives.ReadUInt32BigEndian(b[at..]) : trexDefault;
                    break;
                }
                case "trun" when Need(b, 8):
                {
                    var flags = BinaryPrimitives.ReadUInt32BigEndian(b) & 0xFFFFFF;
                    long count = BinaryPrimitives.ReadUInt32BigEndian(b[4..]);
                    var at = 8 + ((flags & 0x01) != 0 ? 4 : 0) + ((flags & 0x04) != 0 ? 4 : 0);
                    var perSample = ((flags & 0x100) != 0 ? 4 : 0) + ((flags & 0x200) != 0 ? 4 : 0) + ((flags & 0x400) != 0 ? 4 : 0) + ((flags & 0x800) != 0 ? 4 : 0);
                    if (b.Length < at + count * perSample)
                    {
                        throw Damaged();
                    }
                    if ((flags & 0x100) == 0)
                    {
                        // One duration for the whole run: no need to walk a count the box only claims.
                        fragmentTotal += count * defaultDuration;
                        largestDelta = Math.Max(largestDelta, defaultDuration);
                    }
                    else
                    {
                        for (var i = 0; i < count; i++)
                        {
                            long delta = BinaryPrimitives.ReadUInt32BigEndian(b[(at + i * perSample)..]);
                            fragmentTotal += delta;
                            largestDelta = Math.Max(largestDelta, delta);
                        }
                    }
                    sttsSamples += count;
                    break;
                }
            }
            if (trackScale > 0 && (sttsTotal + fragmentTotal) / trackScale > maxSeconds)
            {
                throw new InvalidAudioException(AudioProbe.TooLong);
            }
        }

        if (!sawMoov || tracks == 0)
        {
            throw new InvalidAudioException("The MP4 file has no audio track.");
        }
        if (handler != Box("soun") || codec != Box("mp4a"))
        {
            throw new InvalidAudioException("The MP4 file's track is not AAC audio.");
        }
        if (trackScale <= 0)
        {
            throw Damaged();
        }
        if (fragmentTotal == 0 && stszSamples >= 0 && stszSamples != sttsSamples)
        {
            throw new InvalidAudioException(AudioProbe.LengthMismatch);
        }
        var packets = sttsTotal + fragmentTotal;
        if (packets <= 0)
        {
            throw new InvalidAudioException("The MP4 file holds no audio.");
        }
        // Declared: the track's own duration, else the movie's (in the movie's time scale); a blank
        // one (0, or all ones: unknown) leaves only the packets to go by.
        long? declared = trackDuration is > 0 and < uint.MaxValue ? trackDuration
            : movieDuration is > 0 and < uint.MaxValue && movieScale > 0 ? movieDuration * trackScale / movieScale + Math.Max(0, editStart)
            : null;
        if (declared is { } d && Math.Abs(d - packets) > largestDelta + trackScale / 1000)
        {
            throw new InvalidAudioException(AudioProbe.LengthMismatch);
        }
        var presented = packets - Math.Clamp(editStart, 0, packets);
        return new AudioMeasure("audio/mp4", presented * 1000 / trackScale);
    }

    private static (long Scale, long Duration) ScaleAndDuration(ReadOnlySpan<byte> b)
    {
        // version 1: 64-bit times; version 0: 32-bit.
        if (b.Length >= 32 && b[0] == 1)
        {
            return (BinaryPrimitives.ReadUInt32BigEndian(b[20..]), (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(b[24..]), long.MaxValue));
        }
        if (b.Length >= 20 && b[0] == 0)
        {
            return (BinaryPrimitives.ReadUInt32BigEndian(b[12..]), BinaryPrimitives.ReadUInt32BigEndian(b[16..]));
        }
        throw Damaged();
    }

    private static bool Need(ReadOnlySpan<byte> b, int length) => b.Length >= length ? true : throw Damaged();

    private static InvalidAudioException Damaged() => new("The MP4 file is damaged.");

    private static uint Box(string type) => BinaryPrimitives.ReadUInt32BigEndian(System.Text.Encoding.ASCII.GetBytes(type));

    private static string Text(uint type) => string.Create(4, type, (span, t) =>
    {
        for (var i = 0; i < 4; i++)
        {
            span[i] = (char)((t >> (24 - i * 8)) & 0xFF);
        }
    });
}
