using Switchboard.Realtime;

namespace Switchboard.Features.Chat.Receipts;

/// <summary>
/// Sends <c>read_receipt</c> at most once per user and room every <see cref="Window"/>: the first
/// mark goes out at once and opens a window; marks inside it only replace the pending one, which
/// goes out when the window ends (and opens the next). The last mark is never lost, only delayed.
/// Per instance: a user marking through two instances at once may send two in a window.
/// </summary>
public sealed class ReadReceipts(IRoomEvents events, TimeProvider clock, ILogger<ReadReceipts> logger)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private readonly Dictionary<(int RoomId, int UserId), Slot> _open = [];

    private sealed class Slot
    {
        public ReadReceiptFrame? Pending;
    }

    public async ValueTask MarkAsync(ReadReceiptFrame frame)
    {
        var key = (frame.RoomId, frame.UserId);
        lock (_gate)
        {
            if (_open.TryGetValue(key, out var slot))
            {
                slot.Pending = frame;
                return;
            }
            _open[key] = new Slot();
        }
        CloseWindowLater(key);
        await PublishAsync(frame);
    }

    private void CloseWindowLater((int RoomId, int UserId) key) =>
        _ = Task.Delay(Window, clock).ContinueWith(_ => FlushAsync(key).AsTask(), TaskScheduler.Default).Unwrap();

    private async ValueTask FlushAsync((int RoomId, int UserId) key)
    {
        ReadReceiptFrame? pending;
        lock (_gate)
        {
            if (!_open.TryGetValue(key, out var slot))
            {
                return;
            }
            pending = slot.Pending;
            slot.Pending = null;
            if (pending is null)
            {
                _open.Remove(key);
                return;
            }
        }
        // What was held back goes out now, and opens the next window.
        CloseWindowLater(key);
        await PublishAsync(pending);
    }

    private async ValueTask PublishAsync(ReadReceiptFrame frame)
    {
        try
        {
            await events.PublishAsync(new RoomEvent(frame.RoomId, frame));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not publish a read receipt for room {RoomId}", frame.RoomId);
        }
    }
}
