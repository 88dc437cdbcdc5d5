namespace Switchboard.Features.Chat.Voice;

/// <summary>How much audio an Opus packet holds, from its table-of-contents byte (RFC 6716, section 3.1).</summary>
internal static class OpusPackets
{
    public const int SampleRate = 48_000;
    // No packet may hold more than 120 ms.
    public const int MaxPacketSamples = 5_760;

    private static readonly int[] SilkFrames = [480, 960, 1920, 2880];
    private static readonly int[] HybridFrames = [480, 960];
    private static readonly int[] CeltFrames = [120, 240, 480, 960];

    /// <summary>Samples at 48 kHz in a packet of <paramref name="length"/> bytes starting with <paramref name="toc"/> (and <paramref name="second"/>).</summary>
    public static int Samples(byte toc, byte second, int length)
    {
        if (length < 1)
        {
            throw new InvalidAudioException("The audio holds an empty Opus packet.");
        }
        var config = toc >> 3;
        var frame = config switch
        {
            < 12 => SilkFrames[config & 3],
            < 16 => HybridFrames[config & 1],
            _ => CeltFrames[config & 3],
        };
        int frames;
        switch (toc & 3)
        {
            case 0:
                frames = 1;
                break;
            case 1 or 2:
                frames = 2;
                break;
            default:
                if (length < 2)
                {
                    throw new InvalidAudioException("The audio holds a damaged Opus packet.");
                }
                frames = second & 0x3F;
                break;
        }
        var samples = frames * frame;
        if (samples is 0 or > MaxPacketSamples)
        {
            throw new InvalidAudioException("The audio holds a damaged Opus packet.");
        }
        return samples;
    }
}
