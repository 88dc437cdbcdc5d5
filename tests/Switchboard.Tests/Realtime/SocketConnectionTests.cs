using System.Net.WebSockets;
using System.Text;
using Switchboard.Realtime;

namespace Switchboard.Tests.Realtime;

/// <summary>The send queue of one socket, driven through a real WebSocket over a stream whose reader never reads.</summary>
public sealed class SocketConnectionTests
{
    private sealed class StalledStream : Stream
    {
        private readonly TaskCompletionSource _never = new();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await _never.Task.WaitAsync(cancellationToken);
            return 0;
        }
        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            await _never.Task.WaitAsync(cancellationToken);
    }

    [Fact]
    public async Task AStalledReader_LosesTypingFirst_ThenIsClosed_AndTheQueueNeverGrowsPastItsBound()
    {
        using var socket = WebSocket.CreateFromStream(new StalledStream(), new WebSocketCreationOptions { IsServer = true });
        var connection = new SocketConnection(socket, roomId: 1, userId: 1);
        using var aborted = new CancellationTokenSource();
        var writer = connection.RunWriterAsync(aborted.Token);
        var frame = Encoding.UTF8.GetBytes("{\"type\":\"message_new\"}");
        var typing = Encoding.UTF8.GetBytes("{\"type\":\"user_typing\"}");

        Assert.True(connection.TrySend(frame));
        await Task.Delay(50); // the writer takes it and blocks on the stalled stream

        for (var i = 0; i < SocketConnection.QueueCapacity / 4; i++)
        {
            Assert.True(connection.TrySend(frame));
        }
        // Past a quarter of the queue, typing indicators are no longer queued.
        Assert.False(connection.TrySend(typing, droppable: true));
        Assert.Equal(1, connection.Dropped);
        Assert.False(connection.Closing.IsCancellationRequested);

        var accepted = 0;
        while (connection.TrySend(frame))
        {
            accepted++;
            Assert.True(accepted <= SocketConnection.QueueCapacity, "the queue grew past its bound");
        }
        Assert.True(connection.Closing.IsCancellationRequested, "a reader that cannot keep up must be closed");
        Assert.True(connection.Pending <= SocketConnection.QueueCapacity);

        await aborted.CancelAsync();
        await writer.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
