using System.Buffers;
using System.Net.WebSockets;

namespace Switchboard.Realtime;

public enum ReceiveResult
{
    Text,
    Binary,
    Closed,
    TooLarge,
}

/// <summary>
/// Assembles one whole WebSocket message (of at most 64 KiB) in a pooled buffer. It waits for data
/// with a zero-byte read and rents the buffer only when a message arrives; <see cref="Release"/>
/// gives it back once the message is parsed, so an idle socket holds no receive buffer.
/// </summary>
public sealed class FrameBuffer : IDisposable
{
    /// <summary>A client frame over 64 KiB closes the socket with 1009.</summary>
    public const int MaxFrameBytes = 64 * 1024;
    private const int InitialSize = 4096;
    private byte[]? _buffer;
    private int _length;

    public ReadOnlySpan<byte> Span => _buffer is null ? default : _buffer.AsSpan(0, _length);

    public async Task<ReceiveResult> ReceiveAsync(WebSocket socket, CancellationToken ct)
    {
        _length = 0;
        var waited = await socket.ReceiveAsync(Memory<byte>.Empty, ct);
        if (waited.MessageType == WebSocketMessageType.Close)
        {
            return ReceiveResult.Closed;
        }
        if (waited.EndOfMessage)
        {
            // An empty message.
            return waited.MessageType == WebSocketMessageType.Binary ? ReceiveResult.Binary : ReceiveResult.Text;
        }
        _buffer ??= ArrayPool<byte>.Shared.Rent(InitialSize);
        while (true)
        {
            if (_length == _buffer.Length)
            {
                if (_buffer.Length >= MaxFrameBytes + 1)
                {
                    return ReceiveResult.TooLarge;
                }
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, MaxFrameBytes + 1));
                _buffer.AsSpan(0, _length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }
            var result = await socket.ReceiveAsync(_buffer.AsMemory(_length), ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return ReceiveResult.Closed;
            }
            _length += result.Count;
            if (_length > MaxFrameBytes)
            {
                return ReceiveResult.TooLarge;
            }
            if (result.EndOfMessage)
            {
                return result.MessageType == WebSocketMessageType.Binary ? ReceiveResult.Binary : ReceiveResult.Text;
            }
        }
    }

    /// <summary>Returns the buffer to the pool; <see cref="Span"/> is empty afterwards.</summary>
    public void Release()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
        _length = 0;
    }

    public void Dispose() => Release();
}
