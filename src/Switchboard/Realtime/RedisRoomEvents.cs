using System.Buffers.Binary;
using StackExchange.Redis;
using Switchboard.Infrastructure;

namespace Switchboard.Realtime;

/// <summary>
/// Room events across instances through Redis pub/sub, one channel per room (user and topic
/// events travel beside them, see RedisRoomEvents.Users.cs). An instance
/// subscribes to the rooms it has sockets for, so traffic goes only where it is needed. On a Redis
/// Cluster the channels are sharded (<see cref="RedisPubSubMode"/>): each room's traffic stays on
/// the shard that owns its channel, so fan-out grows with the shards. Local
/// sockets are served directly (not through Redis), so a Redis outage never stops delivery on the
/// instance where the change happened; other instances catch up once Redis is back, and clients
/// ask for <c>?after=</c> on reconnect.
/// </summary>
public sealed partial class RedisRoomEvents : IRoomEvents, IUserEvents, ITopicEvents, IDisposable
{
    private const string ChannelPrefix = "switchboard:room:";
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisPubSubMode _mode;
    private readonly ConnectionRegistry _registry;
    private readonly InProcessRoomEvents _local;
    private readonly ILogger<RedisRoomEvents> _logger;
    private readonly Guid _instance = Guid.NewGuid();
    private readonly SemaphoreSlim _subscriptionGate = new(1, 1);
    private readonly HashSet<int> _subscribed = [];
    private long _lastFailureLog;

    public RedisRoomEvents(IConnectionMultiplexer redis, RedisPubSubMode mode, ConnectionRegistry registry, ILoggerFactory loggers)
    {
        _redis = redis;
        _mode = mode;
        _registry = registry;
        _local = new InProcessRoomEvents(loggers.CreateLogger<InProcessRoomEvents>());
        _logger = loggers.CreateLogger<RedisRoomEvents>();
        _registry.RoomActivityChanged += OnRoomActivityChanged;
        // On a cluster these fire per node: one shard's subscription connection going or coming
        // back is enough to resync, since rooms on that shard missed events.
        _redis.ConnectionFailed += (_, e) =>
        {
            _logger.LogWarning("Redis connection to {EndPoint} lost ({FailureType}); messages are still stored and served locally", e.EndPoint, e.FailureType);
            ResyncSockets(e.ConnectionType);
        };
        _redis.ConnectionRestored += (_, e) =>
        {
            _logger.LogInformation("Redis connection to {EndPoint} restored; fan-out across instances resumes", e.EndPoint);
            ResyncSockets(e.ConnectionType);
            // Only needed when Redis was down at start-up; otherwise the subscriptions come back by themselves.
            _ = ListenToUsersAndTopicsAsync();
        };
    }

    public IDisposable Subscribe(Func<RoomEvent, ValueTask> handler) => _local.Subscribe(handler);

    public async ValueTask PublishAsync(RoomEvent roomEvent, CancellationToken ct = default)
    {
        await _local.PublishAsync(roomEvent, ct);
        // The frame's bytes are the ones this instance's sockets were just given (RoomEvent.Utf8).
        var payload = Encode(roomEvent);
        // Not awaited: the change is committed, and a slow or absent Redis must not hold the request.
        _ = PublishToRedisAsync(roomEvent.RoomId, payload);
    }

    public async ValueTask ListenAsync(int roomId)
    {
        await _subscriptionGate.WaitAsync();
        try
        {
            if (_subscribed.Contains(roomId))
            {
                return;
            }
            try
            {
                await _redis.GetSubscriber().SubscribeAsync(Channel(roomId), (_, message) => OnRedisMessage(message));
                _subscribed.Add(roomId);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogFailure(e, "subscribe");
            }
        }
        finally
        {
            _subscriptionGate.Release();
        }
    }

    // Events published elsewhere while the subscription was down never reach this instance. Its
    // sockets are closed with 1012 (service restart) when the subscription goes and again when it
    // comes back, so clients reconnect, resubscribe and catch up with ?after=.
    private void ResyncSockets(ConnectionType connection)
    {
        if (connection == ConnectionType.Subscription)
        {
            _registry.CloseAll((System.Net.WebSockets.WebSocketCloseStatus)1012, "Fan-out interrupted: reconnect and catch up with ?after=");
        }
    }

    private void OnRoomActivityChanged(int roomId, bool active)
    {
        if (active)
        {
            // A user socket took the room on (it joined, or was added): hear the room from other instances.
            _ = ListenAsync(roomId).AsTask();
        }
        else
        {
            _ = UnsubscribeIfIdleAsync(roomId);
        }
    }

    private async Task UnsubscribeIfIdleAsync(int roomId)
    {
        await _subscriptionGate.WaitAsync();
        try
        {
            if (!_registry.HasRoom(roomId) && _subscribed.Remove(roomId))
            {
                await _redis.GetSubscriber().UnsubscribeAsync(Channel(roomId));
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogFailure(e, "unsubscribe");
        }
        finally
        {
            _subscriptionGate.Release();
        }
    }

    private Task PublishToRedisAsync(int roomId, byte[] payload) => PublishToRedisAsync(() => Channel(roomId), payload);

    private void OnRedisMessage(RedisValue message)
    {
        if (!TryDecode((byte[])message!, out var origin, out var roomEvent) || origin == _instance)
        {
            return;
        }
        _ = _local.PublishAsync(roomEvent!).AsTask();
    }

    private void LogFailure(Exception e, string what)
    {
        // One line every few seconds is enough to see an outage without flooding the log.
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastFailureLog);
        if (now - last > 5000 && Interlocked.CompareExchange(ref _lastFailureLog, now, last) == last)
        {
            _logger.LogWarning("Redis {Operation} failed: {Error}; local delivery continues", what, e.Message);
        }
    }

    private RedisChannel Channel(int roomId) => _mode.Channel(ChannelPrefix + roomId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    // Envelope: 16-byte instance id, room id, except user, effect, affected user, droppable, then the frame's JSON.
    private const int HeaderLength = 16 + 4 + 4 + 1 + 4 + 1;

    private byte[] Encode(RoomEvent e)
    {
        var frame = e.Utf8;
        var buffer = new byte[HeaderLength + frame.Length];
        _instance.TryWriteBytes(buffer);
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(16), e.RoomId);
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(20), e.ExceptUserId ?? 0);
        buffer[24] = (byte)e.Effect;
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(25), e.AffectedUserId ?? 0);
        buffer[29] = e.Droppable ? (byte)1 : (byte)0;
        frame.CopyTo(buffer, HeaderLength);
        return buffer;
    }

    private static bool TryDecode(byte[]? buffer, out Guid origin, out RoomEvent? roomEvent)
    {
        origin = Guid.Empty;
        roomEvent = null;
        if (buffer is null || buffer.Length <= HeaderLength)
        {
            return false;
        }
        origin = new Guid(buffer.AsSpan(0, 16));
        var except = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(20));
        var affected = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(25));
        roomEvent = new RoomEvent(
            BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(16)),
            new SerializedFrame(buffer[HeaderLength..]),
            except == 0 ? null : except,
            (RoomEventEffect)buffer[24],
            affected == 0 ? null : affected,
            buffer[29] == 1);
        return true;
    }

    public void Dispose()
    {
        _registry.RoomActivityChanged -= OnRoomActivityChanged;
        _subscriptionGate.Dispose();
    }
}
