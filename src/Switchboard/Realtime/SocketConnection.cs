using System.Buffers;
using System.Buffers.Text;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace Switchboard.Realtime;

/// <summary>
/// One open socket. Frames go out through a bounded queue drained by one writer, so a slow
/// reader never slows the room: when its queue fills it first loses droppable frames (typing),
/// and when even a real event does not fit it is closed — it can reconnect and catch up.
/// A user socket (<see cref="Sequenced"/>) also numbers every frame it writes (<c>seq</c>) and
/// tags room frames with their <c>room_id</c>; both are spliced in by the writer, so the frame
/// itself is still serialized once for every socket that receives it.
/// </summary>
public sealed class SocketConnection
{
    public const int QueueCapacity = 512;
    // Past this many queued frames, typing indicators are no longer worth sending.
    private const int DroppableThreshold = QueueCapacity / 4;

    private readonly WebSocket _socket;
    private readonly Channel<Outgoing> _queue = Channel.CreateBounded<Outgoing>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _closed = new();
    private int _closeCode;
    private string _closeReason = "";
    private long _seq;

    private readonly record struct Outgoing(ReadOnlyMemory<byte> Utf8, ReadOnlyMemory<byte> Insert);

    /// <summary>A chat-room socket (<c>/ws/chat/{room_id}/</c>): Part 1 frames exactly as published.</summary>
    public SocketConnection(WebSocket socket, int roomId, int userId, long? sessionId = null)
    {
        _socket = socket;
        RoomId = roomId;
        UserId = userId;
        SessionId = sessionId;
    }

    /// <summary>A user socket (<c>/ws/</c>): every room of the user, numbered frames.</summary>
    public static SocketConnection ForUser(WebSocket socket, int userId, long? sessionId) =>
        new(socket, roomId: 0, userId, sessionId) { Sequenced = true };

    /// <summary>The room of a chat-room socket; 0 for a user socket.</summary>
    public int RoomId { get; }
    public int UserId { get; }
    public long? SessionId { get; set; }
    public bool Sequenced { get; private init; }
    public long Dropped;

    /// <summary>Rooms a user socket carries, and its topic subscriptions (topic → project); guarded by the registry.</summary>
    internal HashSet<int> Rooms { get; } = [];
    internal Dictionary<string, int> Topics { get; } = [];

    /// <summary>Unread messages per room of a user socket (see <see cref="UnreadCounts"/>); locked on itself.</summary>
    internal Dictionary<int, int> Unread { get; } = [];

    /// <summary>The mention and unread-thread counts last heard from the chat feature, per room; locked with <see cref="Unread"/>.</summary>
    internal Dictionary<int, (int Mentions, int Threads)> UnreadExtras { get; } = [];

    /// <summary>How many project removals reached this socket (a subscription in flight checks it).</summary>
    public int ProjectRemovals;

    /// <summary>When the client last sent anything (heartbeat).</summary>
    public long LastReceivedTicks = Environment.TickCount64;

    /// <summary>Frames queued and not yet written.</summary>
    public int Pending => _queue.Reader.Count;

    /// <summary>Cancelled when the server decided to close this socket.</summary>
    public CancellationToken Closing => _closed.Token;

    public bool TrySend(ReadOnlyMemory<byte> utf8Json, bool droppable = false) => TrySend(utf8Json, default, droppable);

    /// <param name="insert">Properties spliced in after <c>seq</c> on a user socket (<c>"room_id":5,</c>).</param>
    public bool TrySend(ReadOnlyMemory<byte> utf8Json, ReadOnlyMemory<byte> insert, bool droppable = false)
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
        if (_queue.Writer.TryWrite(new Outgoing(utf8Json, insert)))
        {
            // Counted here so that room, user and topic frames on both kinds of socket are all counted.
            Infrastructure.SwitchboardMetrics.Deliveries.Add(1);
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
        // No cancellation token per frame: a cancellable send takes ManagedWebSocket's slow path (an
        // async lock and a token registration for every frame), and a cancellable wait registers on
        // the token each time the queue runs empty, i.e. about once per frame. Instead the token is
        // registered once: it completes the queue, and a send still pending when it fires is given up
        // and the socket aborted (as the cancellable send did).
        using var stop = aborted.Register(static state => ((SocketConnection)state!)._queue.Writer.TryComplete(), this);
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var frame))
                {
                    aborted.ThrowIfCancellationRequested();
                    if (!Sequenced)
                    {
                        await SendAsync(frame.Utf8, aborted);
                        continue;
                    }
                    // The number is taken as the frame is written, so dropped frames leave no gap.
                    var buffer = ArrayPool<byte>.Shared.Rent(frame.Utf8.Length + frame.Insert.Length + 32);
                    try
                    {
                        var length = Splice(buffer, ++_seq, frame.Insert.Span, frame.Utf8.Span);
                        // The socket copies the frame into its own send buffer before SendAsync returns,
                        // so the rented buffer may go back even if the write is still pending.
                        await SendAsync(buffer.AsMemory(0, length), aborted);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
            }
            aborted.ThrowIfCancellationRequested();
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

    /// <summary>One frame through the socket's uncancellable fast path; only a write that does not finish at once waits on the token.</summary>
    private ValueTask SendAsync(ReadOnlyMemory<byte> utf8, CancellationToken aborted)
    {
        var send = _socket.SendAsync(utf8, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        return send.IsCompletedSuccessfully ? ValueTask.CompletedTask : new ValueTask(WaitAsync(send.AsTask(), aborted));
    }

    private async Task WaitAsync(Task send, CancellationToken aborted)
    {
        try
        {
            await send.WaitAsync(aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The peer stopped reading and the connection is going: the pending write is abandoned.
            _ = send.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            _socket.Abort();
            throw;
        }
    }

    /// <summary><c>{"seq":N,</c> + insert + the frame without its opening brace.</summary>
    internal static int Splice(Span<byte> buffer, long seq, ReadOnlySpan<byte> insert, ReadOnlySpan<byte> frame)
    {
        var length = 0;
        "{\"seq\":"u8.CopyTo(buffer);
        length += 7;
        Utf8Formatter.TryFormat(seq, buffer[length..], out var digits);
        length += digits;
        if (frame.Length <= 2)
        {
            buffer[length++] = (byte)'}';
            return length;
        }
        buffer[length++] = (byte)',';
        insert.CopyTo(buffer[length..]);
        length += insert.Length;
        frame[1..].CopyTo(buffer[length..]);
        return length + frame.Length - 1;
    }

    /// <summary>Stops the writer when the reading side ended (the client closed or vanished).</summary>
    public void Complete() => _queue.Writer.TryComplete();
}
