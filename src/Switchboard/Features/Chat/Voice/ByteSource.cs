using System.Buffers;
using System.Buffers.Binary;

namespace Switchboard.Features.Chat.Voice;

/// <summary>The file is not the audio it claims to be, or is damaged; the message says what is wrong, for the client.</summary>
public sealed class InvalidAudioException(string message) : Exception(message);

/// <summary>
/// Forward reading of a stored file through one pooled 64 KiB buffer, skipping by seeking: the
/// container readers look at headers and packet starts, never at the whole file at once.
/// </summary>
internal sealed class ByteSource : IDisposable
{
    private const int BufferSize = 64 * 1024;
    private readonly Stream _stream;
    private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _start;
    private int _end;
    private long _bufferOrigin;

    public ByteSource(Stream stream)
    {
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The audio readers need a seekable stream.", nameof(stream));
        }
        _stream = stream;
        _bufferOrigin = stream.Position;
        Length = stream.Length;
    }

    public long Length { get; }

    public long Position => _bufferOrigin + _start;

    public long Remaining => Length - Position;

    public bool AtEnd => Position >= Length;

    /// <summary>Fills <paramref name="target"/> or throws when the file ends first.</summary>
    public void Read(Span<byte> target)
    {
        while (target.Length > 0)
        {
            if (_start == _end && !Fill())
            {
                throw Truncated();
            }
            var take = Math.Min(target.Length, _end - _start);
            _buffer.AsSpan(_start, take).CopyTo(target);
            _start += take;
            target = target[take..];
        }
    }

    public byte ReadByte()
    {
        if (_start == _end && !Fill())
        {
            throw Truncated();
        }
        return _buffer[_start++];
    }

    public uint ReadUInt32BigEndian()
    {
        Span<byte> b = stackalloc byte[4];
        Read(b);
        return BinaryPrimitives.ReadUInt32BigEndian(b);
    }

    public ulong ReadUInt64BigEndian()
    {
        Span<byte> b = stackalloc byte[8];
        Read(b);
        return BinaryPrimitives.ReadUInt64BigEndian(b);
    }

    /// <summary>Moves forward; a skip past the end means the file was cut short.</summary>
    public void Skip(long count)
    {
        if (count < 0 || count > Remaining)
        {
            throw Truncated();
        }
        if (count <= _end - _start)
        {
            _start += (int)count;
            return;
        }
        var target = Position + count;
        _stream.Seek(target, SeekOrigin.Begin);
        _bufferOrigin = target;
        _start = _end = 0;
    }

    public static InvalidAudioException Truncated() => new("The file ends in the middle of its audio: it is cut short or damaged.");

    private bool Fill()
    {
        _bufferOrigin += _end;
        _start = _end = 0;
        var read = _stream.Read(_buffer, 0, BufferSize);
        _end = read;
        return read > 0;
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);
}
