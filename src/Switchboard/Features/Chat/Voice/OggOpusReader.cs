using System.Buffers.Binary;

namespace Switchboard.Features.Chat.Voice;

/// <summary>
/// Measures an Ogg/Opus file (RFC 3533, RFC 7845): every page is read and its checksum checked;
/// the length the container declares is the last granule position less the encoder's pre-skip,
/// and it must agree with the audio the packets hold (each packet's length from its TOC byte).
/// </summary>
internal static class OggOpusReader
{
    private const int HeaderLength = 27;
    private static readonly uint[] CrcTable = BuildCrcTable();

    public static bool Matches(ReadOnlySpan<byte> head) => head.StartsWith("OggS"u8);

    public static AudioMeasure Measure(ByteSource source, long maxSamples)
    {
        // The largest page body: 255 segments of 255 bytes. One pooled buffer, reused for every page.
        var body = System.Buffers.ArrayPool<byte>.Shared.Rent(255 * 255);
        try
        {
            return Measure(source, maxSamples, body);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(body);
        }
    }

    private static AudioMeasure Measure(ByteSource source, long maxSamples, byte[] body)
    {
        Span<byte> header = stackalloc byte[HeaderLength];
        Span<byte> segments = stackalloc byte[255];
        uint serial = 0;
        uint expectedSequence = 0;
        var packetIndex = 0;
        var packetLength = 0;
        byte toc = 0, second = 0;
        var preSkip = -1;
        long packetSamples = 0;
        var largestPacket = 0;
        long lastGranule = -1;
        var ended = false;
        var pages = 0;

        while (!source.AtEnd)
        {
            if (ended)
            {
                throw new InvalidAudioException("The Ogg file goes on after its end-of-stream page.");
            }
            source.Read(header);
            if (!header.StartsWith("OggS"u8) || header[4] != 0)
            {
                throw new InvalidAudioException("The Ogg file is damaged: a page does not start where one should.");
            }
            var flags = header[5];
            var granule = BinaryPrimitives.ReadInt64LittleEndian(header[6..]);
            var pageSerial = BinaryPrimitives.ReadUInt32LittleEndian(header[14..]);
            var sequence = BinaryPrimitives.ReadUInt32LittleEndian(header[18..]);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(header[22..]);
            var count = header[26];
            var table = segments[..count];
            source.Read(table);
            var bodyLength = 0;
            foreach (var s in table)
            {
                bodyLength += s;
            }
            source.Read(body.AsSpan(0, bodyLength));

            header[22] = header[23] = header[24] = header[25] = 0;
            var computed = Crc(Crc(Crc(0, header), table), body.AsSpan(0, bodyLength));
            if (computed != crc)
            {
                throw new InvalidAudioException("The Ogg file is damaged: a page fails its checksum.");
            }
            if (pages == 0)
            {
                if ((flags & 0x02) == 0)
                {
                    throw new InvalidAudioException("The Ogg file does not begin with the start of a stream.");
                }
                serial = pageSerial;
            }
            else if (pageSerial != serial || (flags & 0x02) != 0)
            {
                throw new InvalidAudioException("The Ogg file holds more than one stream; a voice message is one Opus stream.");
            }
            if (sequence != expectedSequence)
            {
                throw new InvalidAudioException("The Ogg file is damaged: pages are missing.");
            }
            expectedSequence++;
            pages++;
            if ((flags & 0x01) == 0 && packetLength > 0)
            {
                throw new InvalidAudioException("The Ogg file is damaged: a packet is cut off between pages.");
            }

            var offset = 0;
            var completed = false;
            foreach (var s in table)
            {
                var data = body.AsSpan(offset, s);
                if (packetIndex == 0 && packetLength == 0)
                {
                    preSkip = ReadOpusHead(data, s);
                }
                // Only the first two bytes of an audio packet tell its length in samples.
                if (packetLength == 0 && s > 0)
                {
                    toc = data[0];
                    second = s > 1 ? data[1] : (byte)0;
                }
                else if (packetLength == 1 && s > 0)
                {
                    second = data[0];
                }
                packetLength += s;
                offset += s;
                if (s < 255)
                {
                    if (packetIndex >= 2)
                    {
                        var samples = OpusPackets.Samples(toc, second, packetLength);
                        packetSamples += samples;
                        largestPacket = Math.Max(largestPacket, samples);
                        if (packetSamples > maxSamples)
                        {
                            throw new InvalidAudioException(AudioProbe.TooLong);
                        }
                    }
                    packetIndex++;
                    packetLength = 0;
                    completed = true;
                }
            }
            if (completed && packetIndex > 2)
            {
                if (granule < 0 || granule < lastGranule)
                {
                    throw new InvalidAudioException("The Ogg file is damaged: its positions run backwards.");
                }
                lastGranule = granule;
            }
            ended = (flags & 0x04) != 0;
        }

        if (preSkip < 0)
        {
            throw new InvalidAudioException("This is not an Opus file.");
        }
        if (!ended || packetLength > 0)
        {
            throw ByteSource.Truncated();
        }
        if (packetIndex <= 2 || lastGranule < preSkip)
        {
            throw new InvalidAudioException("The Ogg file holds no audio.");
        }
        // The final granule position may end a little before the last packet (trimmed end), never after it.
        if (Math.Abs(lastGranule - packetSamples) > largestPacket)
        {
            throw new InvalidAudioException(AudioProbe.LengthMismatch);
        }
        return new AudioMeasure("audio/ogg", (lastGranule - preSkip) * 1000 / OpusPackets.SampleRate);
    }

    private static int ReadOpusHead(ReadOnlySpan<byte> data, int segmentLength)
    {
        if (segmentLength < 19 || segmentLength == 255 || !data.StartsWith("OpusHead"u8))
        {
            throw new InvalidAudioException("This is not an Opus file: voice messages in Ogg must be Opus.");
        }
        // Versions 0.x only (the major version lives in the high nibble); channels at least one.
        if (data[8] == 0 || data[8] > 15 || data[9] == 0)
        {
            throw new InvalidAudioException("The Opus header is damaged.");
        }
        return BinaryPrimitives.ReadUInt16LittleEndian(data[10..]);
    }

    // Ogg's CRC-32 (polynomial 0x04C11DB7, most significant bit first, no reflection, no final xor),
    // eight bytes at a time ("slicing by 8"): the check reads every byte of the file, and a table
    // lookup per byte was most of its cost (bench/README.md).
    private static uint Crc(uint crc, ReadOnlySpan<byte> data)
    {
        var t = CrcTable;
        while (data.Length >= 8)
        {
            var one = crc ^ BinaryPrimitives.ReadUInt32BigEndian(data);
            var two = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
            crc = t[(7 * 256) + (one >> 24)] ^ t[(6 * 256) + ((one >> 16) & 0xFF)] ^ t[(5 * 256) + ((one >> 8) & 0xFF)] ^ t[(4 * 256) + (one & 0xFF)]
                ^ t[(3 * 256) + (two >> 24)] ^ t[(2 * 256) + ((two >> 16) & 0xFF)] ^ t[256 + ((two >> 8) & 0xFF)] ^ t[two & 0xFF];
            data = data[8..];
        }
        foreach (var b in data)
        {
            crc = (crc << 8) ^ t[((crc >> 24) ^ b) & 0xFF];
        }
        return crc;
    }

    /// <summary>Eight tables of 256: the byte-wise table first, then each one byte further along.</summary>
    private static uint[] BuildCrcTable()
    {
        var table = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            var r = i << 24;
            for (var bit = 0; bit < 8; bit++)
            {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            }
            table[i] = r;
        }
        for (var k = 1; k < 8; k++)
        {
            for (var i = 0; i < 256; i++)
            {
                var previous = table[((k - 1) * 256) + i];
                table[(k * 256) + i] = (previous << 8) ^ table[previous >> 24];
            }
        }
        return table;
    }
}
