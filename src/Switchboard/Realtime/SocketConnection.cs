using System.Net.WebSockets;
using System.Threading.Channels;

namespace Switchboard.Realtime;

/// <summary>
/// One open chat socket. Frames go out through a bounded queue drained by one writer, so a slow
/// reader never slows the room: when its queue fills it first loses droppable frames (typing),
/// and when even a real event does not fit it is closed — it can reconnect and catch up.
/// </summary>
public sealed class SocketConnection
{
    public const int QueueCapacity = 512;
    // Past this many queued frames, typing indicators are no longer worth sending.
    private const int DroppableThreshold = QueueCapacity / 4;

    private readonly WebSocket _socket;
    private readonly Channel<ReadOnlyMemory<byte>> _queue = Channel.CreateBounded<ReadOnlyMemory<byte>>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _closed = new();
    private int _closeCode;
    private string _closeReason = "";

    public SocketConnection(WebSocket socket, int roomId, int userId)
    {
        _socket = socket;
        RoomId = roomId;
        UserId = userId;
    }

    public int RoomId { get; }
    public int UserId { get; }
    public long Dropped;

    /// <summary>Frames queued and not yet written.</summary>
    public int Pending => _queue.Reader.Count;

    /// <summary>Cancelled when the server decided to close this socket.</summary>
    public CancellationToken Closing => _closed.Token;

    public bool TrySend(ReadOnlyMemory<byte> utf8Json, bool droppable = false)
    {
        if (_closed.IsCancellationRequested)
        {
            return false;
        }
        if (droppable && _queue.Reader.Count >= DroppableThreshold)
        {
            Interlocked.Increment(ref Dropped);
            Infrastructure.SwitchboardMetrics.DroppedTyping();
            return false;
        }
        if (_queue.Writer.TryWrite(utf8Json))
        {
            return true;
        }
        if (!droppable)
        {
            // It cannot keep up with the room: drop the socket, not the room's pace or our memory.
            Close(WebSocketCloseStatus.PolicyViolation, "Too slow: reconnect and catch up with ?after=");
            Infrastructure.SwitchboardMetrics.ClosedSlowSocket();
        }
        return false;
    }

    /// <summary>Asks the socket to close with the given code once what is queued has been sent.</summary>
    public void Close(WebSocketCloseStatus status, string reason) => Close((int)status, reason);

    public void Close(int code, string reason)
    {
        if (Interlocked.CompareExchange(ref _closeCode, code, 0) != 0)
        {
            return;
        }
        _closeReason = reason;
        _queue.Writer.TryComplete();
        _closed.Cancel();
    }

    /// <summary>Writes queued frames until the socket closes; then sends the close frame if the server asked for one.</summary>
    public async Task RunWriterAsync(CancellationToken aborted)
    {
        try
        {
            await foreach (var frame in _queue.Reader.ReadAllAsync(aborted))
            {
                await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, aborted);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            return;
        }
        if (_closeCode != 0 && _socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync((WebSocketCloseStatus)_closeCode, _closeReason, timeout.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                // The peer is gone already.
            }
        }
    }

    /// <summary>Stops the writer when the reading side ended (the client closed or vanished).</summary>
    public void Complete() => _queue.Writer.TryComplete();
}
