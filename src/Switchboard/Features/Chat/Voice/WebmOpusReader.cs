using System.Buffers.Binary;

namespace Switchboard.Features.Chat.Voice;

/// <summary>
/// Measures a WebM (Matroska) file with one Opus track. Elements are walked flat: the Segment,
/// Clusters and BlockGroups are entered rather than skipped, so elements of unknown size (what a
/// browser's MediaRecorder writes while it streams) need no special case. The audio's length is
/// the sum of its packets (each from its TOC byte) less the codec delay and any discard padding;
/// the declared length is the Segment's Duration, or else where the last block ends on the timeline.
/// </summary>
internal static class WebmOpusReader
{
    private const uint EbmlHeader = 0x1A45DFA3;
    private const uint DocType = 0x4282;
    private const uint Segment = 0x18538067;
    private const uint Info = 0x1549A966;
    private const uint TimecodeScale = 0x2AD7B1;
    private const uint Duration = 0x4489;
    private const uint Tracks = 0x1654AE6B;
    private const uint TrackEntry = 0xAE;
    private const uint TrackNumber = 0xD7;
    private const uint TrackType = 0x83;
    private const uint CodecId = 0x86;
    private const uint CodecPrivate = 0x63A2;
    private const uint CodecDelay = 0x56AA;
    private const uint Cluster = 0x1F43B675;
    private const uint Timecode = 0xE7;
    private const uint SimpleBlock = 0xA3;
    private const uint BlockGroup = 0xA0;
    private const uint Block = 0xA1;
    private const uint DiscardPadding = 0x75A2;
    // The master elements read whole: small by nature, and capped.
    private const int MaxHeaderElement = 64 * 1024;
    private const int MaxElements = 1_000_000;

    public static bool Matches(ReadOnlySpan<byte> head) => head.Length >= 4 && BinaryPrimitives.ReadUInt32BigEndian(head) == EbmlHeader;

    public static AudioMeasure Measure(ByteSource source, long maxSamples)
    {
        var (id, size) = ReadElementHeader(source);
        if (id != EbmlHeader || size is null or > MaxHeaderElement)
        {
            throw new InvalidAudioException("This is not a WebM file.");
        }
        var docType = "";
        foreach (var (childId, value) in Children(ReadBytes(source, size.Value)))
        {
            if (childId == DocType)
            {
                docType = System.Text.Encoding.ASCII.GetString(value).TrimEnd('\0');
            }
        }
        if (docType is not ("webm" or "matroska"))
        {
            throw new InvalidAudioException("This is not a WebM file.");
        }

        long scale = 1_000_000;
        double? declared = null;
        ulong? audioTrack = null;
        long preSkip = 0;
        long clusterTime = 0;
        var inSegment = false;
        long packetSamples = 0, discardNs = 0;
        var largestPacket = 0;
        long? firstBlockTime = null;
        long lastBlockEnd = 0;
        Span<byte> blockHead = stackalloc byte[16];

        var elements = 0;
        while (!source.AtEnd)
        {
            // 5 minutes of the shortest Opus packets is 120,000 blocks of a few elements each.
            if (++elements > MaxElements)
            {
                throw new InvalidAudioException("The WebM file has too many elements for a voice message.");
            }
            (id, size) = ReadElementHeader(source);
            switch (id)
            {
                case Segment:
                    if (inSegment)
                    {
                        throw new InvalidAudioException("The WebM file holds more than one segment.");
                    }
                    inSegment = true;
                    continue;
                case Cluster or BlockGroup when inSegment:
                    continue;
            }
            if (size is not { } length)
            {
                throw new InvalidAudioException("The WebM file is damaged: an element has no size.");
            }
            if (length > source.Remaining)
            {
                throw ByteSource.Truncated();
            }
            switch (id)
            {
                case Info:
                    foreach (var (childId, value) in Children(ReadBytes(source, length)))
                    {
                        if (childId == TimecodeScale)
                        {
                            scale = (long)ReadUnsigned(value);
                        }
                        else if (childId == Duration)
                        {
                            declared = value.Length switch
                            {
                                4 => BinaryPrimitives.ReadSingleBigEndian(value),
                                8 => BinaryPrimitives.ReadDoubleBigEndian(value),
                                _ => throw new InvalidAudioException("The WebM file's duration is damaged."),
                            };
                        }
                    }
                    if (scale is <= 0 or > 1_000_000_000)
                    {
                        throw new InvalidAudioException("The WebM file's time scale is damaged.");
                    }
                    break;
                case Tracks:
                    if (audioTrack is not null)
                    {
                        throw new InvalidAudioException("The WebM file lists its tracks twice.");
                    }
                    (audioTrack, preSkip) = ReadTracks(ReadBytes(source, length));
                    break;
                case Timecode:
                    clusterTime = (long)ReadUnsigned(ReadBytes(source, length));
                    break;
                case SimpleBlock or Block:
                {
                    if (audioTrack is null)
                    {
                        throw new InvalidAudioException("The WebM file has audio before its track list.");
                    }
                    var start = source.Position;
                    var track = ReadVint(source, keepMarker: false, out _) ?? throw new InvalidAudioException("The WebM file is damaged.");
                    var head = blockHead[..3];
                    source.Read(head);
                    var relative = BinaryPrimitives.ReadInt16BigEndian(head);
                    if ((head[2] & 0x06) != 0)
                    {
                        throw new InvalidAudioException("The WebM file packs several frames per block (lacing), which voice messages do not take.");
                    }
                    if (track != audioTrack)
                    {
                        throw new InvalidAudioException("The WebM file has blocks for a track it does not list.");
                    }
                    var frameLength = length - (source.Position - start);
                    if (frameLength < 1)
                    {
                        throw new InvalidAudioException("The audio holds an empty Opus packet.");
                    }
                    var toc = source.ReadByte();
                    var second = frameLength > 1 ? source.ReadByte() : (byte)0;
                    source.Skip(frameLength - (frameLength > 1 ? 2 : 1));
                    var samples = OpusPackets.Samples(toc, second, (int)Math.Min(frameLength, int.MaxValue));
                    packetSamples += samples;
                    largestPacket = Math.Max(largestPacket, samples);
                    if (packetSamples > maxSamples)
                    {
                        throw new InvalidAudioException(AudioProbe.TooLong);
                    }
                    var time = (clusterTime + relative) * scale;
                    firstBlockTime ??= time;
                    lastBlockEnd = Math.Max(lastBlockEnd, time + samples * 1_000_000_000L / OpusPackets.SampleRate);
                    break;
                }
                case DiscardPadding:
                    discardNs += ReadSigned(ReadBytes(source, length));
                    break;
                default:
                    if (!inSegment)
                    {
                        throw new InvalidAudioException("This is not a WebM file.");
                    }
                    source.Skip(length);
                    break;
            }
        }

        if (audioTrack is null || firstBlockTime is null)
        {
            throw new InvalidAudioException("The WebM file holds no audio.");
        }
        var packetsNs = packetSamples * 1_000_000_000L / OpusPackets.SampleRate;
        var slackNs = largestPacket * 1_000_000_000L / OpusPackets.SampleRate + scale;
        // Declared: the Duration element when the muxer wrote one; else the timeline's end.
        var declaredNs = declared is { } d ? (long)(d * scale) : lastBlockEnd;
        if (declared is { } dd && (double.IsNaN(dd) || dd < 0 || dd * scale > long.MaxValue / 2))
        {
            throw new InvalidAudioException("The WebM file's duration is damaged.");
        }
        // Both sides span the pre-skip; a timeline that starts late is measured from its first block.
        if (Math.Abs(declaredNs - firstBlockTime.Value - packetsNs) > slackNs &&
            Math.Abs(declaredNs - packetsNs) > slackNs)
        {
            throw new InvalidAudioException(AudioProbe.LengthMismatch);
        }
        var audioNs = packetsNs - preSkip * 1_000_000_000L / OpusPackets.SampleRate - Math.Max(0, discardNs);
        return new AudioMeasure("audio/webm", Math.Max(0, audioNs / 1_000_000));
    }

    private static (ulong Track, long PreSkip) ReadTracks(byte[] tracks)
    {
        ulong? found = null;
        long preSkip = 0;
        foreach (var (id, entry) in Children(tracks))
        {
            if (id != TrackEntry)
            {
                continue;
            }
            if (found is not null)
            {
                throw new InvalidAudioException("The WebM file has more than one track; a voice message is audio only.");
            }
            ulong number = 0, type = 0;
            string codec = "";
            long delayNs = 0;
            int? headPreSkip = null;
            foreach (var (childId, value) in Children(entry))
            {
                switch (childId)
                {
                    case TrackNumber: number = ReadUnsigned(value); break;
                    case TrackType: type = ReadUnsigned(value); break;
                    case CodecId: codec = System.Text.Encoding.ASCII.GetString(value).TrimEnd('\0'); break;
                    case CodecDelay: delayNs = (long)Math.Min(ReadUnsigned(value), 1_000_000_000UL); break;
                    case CodecPrivate when value.Length >= 19 && value.AsSpan().StartsWith("OpusHead"u8):
                        headPreSkip = BinaryPrimitives.ReadUInt16LittleEndian(value.AsSpan(10));
                        break;
                }
            }
            if (type != 2 || codec != "A_OPUS")
            {
                throw new InvalidAudioException("The WebM file's track is not Opus audio.");
            }
            found = number;
            preSkip = headPreSkip ?? delayNs * OpusPackets.SampleRate / 1_000_000_000L;
        }
        return (found ?? throw new InvalidAudioException("The WebM file has no audio track."), preSkip);
    }

    /// <summary>The elements inside a master element already read into memory.</summary>
    private static IEnumerable<(uint Id, byte[] Value)> Children(byte[] data)
    {
        var offset = 0;
        while (offset < data.Length)
        {
            var id = ReadVint(data, ref offset, keepMarker: true);
            var size = ReadVint(data, ref offset, keepMarker: false);
            if (id is null or > uint.MaxValue || size is null || size > (ulong)(data.Length - offset))
            {
                throw new InvalidAudioException("The WebM file's header is damaged.");
            }
            yield return ((uint)id.Value, data[offset..(offset + (int)size.Value)]);
            offset += (int)size.Value;
        }
    }

    private static (uint Id, long? Size) ReadElementHeader(ByteSource source)
    {
        var id = ReadVint(source, keepMarker: true, out _);
        if (id is null or > uint.MaxValue)
        {
            throw new InvalidAudioException("The WebM file is damaged.");
        }
        var size = ReadVint(source, keepMarker: false, out var unknown);
        if (size is null && !unknown)
        {
            throw new InvalidAudioException("The WebM file is damaged.");
        }
        return ((uint)id.Value, unknown ? null : (long)size!.Value);
    }

    /// <summary>An EBML variable-length integer; all value bits set means "unknown size".</summary>
    private static ulong? ReadVint(ByteSource source, bool keepMarker, out bool unknown)
    {
        unknown = false;
        var first = source.ReadByte();
        var length = System.Numerics.BitOperations.LeadingZeroCount((uint)first) - 23;
        if (first == 0 || length > 8)
        {
            return null;
        }
        ulong value = keepMarker ? first : (ulong)(first & (0xFF >> length));
        var allOnes = value == (ulong)(0xFF >> length);
        for (var i = 1; i < length; i++)
        {
            var b = source.ReadByte();
            allOnes &= b == 0xFF;
            value = (value << 8) | b;
        }
        unknown = !keepMarker && allOnes;
        return unknown ? null : value;
    }

    private static ulong? ReadVint(byte[] data, ref int offset, bool keepMarker)
    {
        if (offset >= data.Length || data[offset] == 0)
        {
            return null;
        }
        var first = data[offset];
        var length = System.Numerics.BitOperations.LeadingZeroCount((uint)first) - 23;
        if (offset + length > data.Length)
        {
            return null;
        }
        ulong value = keepMarker ? first : (ulong)(first & (0xFF >> length));
        for (var i = 1; i < length; i++)
        {
            value = (value << 8) | data[offset + i];
        }
        offset += length;
        return value;
    }

    private static byte[] ReadBytes(ByteSource source, long length)
    {
        if (length > MaxHeaderElement)
        {
            throw new InvalidAudioException("The WebM file's header is too large for a voice message.");
        }
        var bytes = new byte[length];
        source.Read(bytes);
        return bytes;
    }

    private static ulong ReadUnsigned(ReadOnlySpan<byte> value)
    {
        if (value.Length > 8)
        {
            throw new InvalidAudioException("The WebM file is damaged: a number is too long.");
        }
        ulong result = 0;
        foreach (var b in value)
        {
            result = (result << 8) | b;
        }
        return result;
    }

    private static long ReadSigned(ReadOnlySpan<byte> value)
    {
        if (value.Length is 0 or > 8)
        {
            return 0;
        }
        var result = (long)ReadUnsigned(value);
        var shift = 64 - value.Length * 8;
        return shift == 0 ? result : (result << shift) >> shift;
    }
}
