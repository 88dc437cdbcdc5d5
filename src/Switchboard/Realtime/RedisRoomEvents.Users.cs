using System.Buffers.Binary;
using System.Text;
using StackExchange.Redis;
using Switchboard.Infrastructure;

namespace Switchboard.Realtime;

// User and topic events across instances. Unlike rooms, each kind has channels that every
// instance listens to: user frames (room_added, presence_changed, notifications) and ticket
// events are few next to chat messages, and shared channels spare a SUBSCRIBE per connecting user
// and let one publish reach many users (presence) or several topics at once (deduplicated).
// Plain pub/sub uses one channel per kind. Sharded pub/sub spreads each kind over 16 channels,
// which land on different shards: an event goes whole to one of them (chosen by its first user
// or topic), so a socket hearing several of its topics still gets the frame once.
public sealed partial class RedisRoomEvents
{
    private const int ShardedSlices = 16;
    private readonly HashSet<RedisChannel> _listening = [];

    /// <summary>Subscribes to the user and topic channels (again after a failure; harmless when done).</summary>
    public async Task ListenToUsersAndTopicsAsync()
    {
        await _subscriptionGate.WaitAsync();
        try
        {
            var subscriber = _redis.GetSubscriber();
            for (var slice = 0; slice < Slices(); slice++)
            {
                var users = UsersChannel(slice);
                if (!_listening.Contains(users))
                {
                    await subscriber.SubscribeAsync(users, (_, message) => OnUserMessage(message));
                    _listening.Add(users);
                }
                var topics = TopicsChannel(slice);
                if (!_listening.Contains(topics))
                {
                    await subscriber.SubscribeAsync(topics, (_, message) => OnTopicMessage(message));
                    _listening.Add(topics);
                }
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogFailure(e, "subscribe");
        }
        finally
        {
            _subscriptionGate.Release();
        }
    }

    public ValueTask PublishAsync(UserEvent userEvent, CancellationToken ct = default)
    {
        _registry.Deliver(userEvent);
        var slice = userEvent.UserIds.Count == 0 ? 0 : (int)((uint)userEvent.UserIds[0] % ShardedSlices);
        _ = PublishToRedisAsync(() => UsersChannel(slice), EncodeUser(userEvent));
        return ValueTask.CompletedTask;
    }

    public ValueTask PublishAsync(TopicEvent topicEvent, CancellationToken ct = default)
    {
        _registry.Deliver(topicEvent);
        var slice = topicEvent.Topics.Count == 0 ? 0 : (int)(StableHash(topicEvent.Topics[0]) % ShardedSlices);
        _ = PublishToRedisAsync(() => TopicsChannel(slice), EncodeTopic(topicEvent));
        return ValueTask.CompletedTask;
    }

    private int Slices() => _mode.Sharded switch
    {
        true => ShardedSlices,
        false => 1,
        null => throw RedisPubSubMode.NotKnownYet(),
    };

    private RedisChannel UsersChannel(int slice) => SliceChannel("switchboard:users", slice);

    private RedisChannel TopicsChannel(int slice) => SliceChannel("switchboard:topics", slice);

    // Plain pub/sub keeps the one channel per kind it always had (whatever the slice asked for).
    private RedisChannel SliceChannel(string name, int slice) => _mode.Sharded == true
        ? _mode.Channel(name + ":" + slice.ToString(System.Globalization.CultureInfo.InvariantCulture))
        : _mode.Channel(name);

    // Not string.GetHashCode, which differs per process: one topic's traffic stays on one shard
    // whichever instance publishes it.
    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return hash;
    }

    // The channel is resolved inside the try: it throws while Redis has never been reached.
    private async Task PublishToRedisAsync(Func<RedisChannel> channel, byte[] payload)
    {
        try
        {
            await _redis.GetSubscriber().PublishAsync(channel(), payload);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogFailure(e, "publish");
        }
    }

    // Envelope: 16-byte instance id, effect, subject id, user count, user ids, then the frame's JSON (none for an effect alone).
    private byte[] EncodeUser(UserEvent e)
    {
        var frame = e.Frame is null ? [] : Protocol.ToUtf8(e.Frame);
        var header = 16 + 1 + 4 + 4 + 4 * e.UserIds.Count;
        var buffer = new byte[header + frame.Length];
        _instance.TryWriteBytes(buffer);
        buffer[16] = (byte)e.Effect;
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(17), e.SubjectId);
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(21), e.UserIds.Count);
        for (var i = 0; i < e.UserIds.Count; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(25 + 4 * i), e.UserIds[i]);
        }
        frame.CopyTo(buffer, header);
        return buffer;
    }

    private void OnUserMessage(RedisValue message)
    {
        var buffer = (byte[]?)message;
        if (buffer is null || buffer.Length < 25 || new Guid(buffer.AsSpan(0, 16)) == _instance)
        {
            return;
        }
        var count = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(21));
        var header = 25 + 4 * count;
        if (count < 0 || buffer.Length < header)
        {
            return;
        }
        var users = new int[count];
        for (var i = 0; i < count; i++)
        {
            users[i] = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(25 + 4 * i));
        }
        var frame = buffer.Length > header ? new SerializedFrame(buffer[header..]) : null;
        _registry.Deliver(new UserEvent(users, frame, (UserEventEffect)buffer[16], BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(17))));
    }

    // Envelope: 16-byte instance id, topic count, each topic as length + UTF-8, then the frame's JSON.
    private byte[] EncodeTopic(TopicEvent e)
    {
        var frame = Protocol.ToUtf8(e.Frame);
        var topics = e.Topics.Select(Encoding.UTF8.GetBytes).ToList();
        var header = 16 + 2 + topics.Sum(t => 2 + t.Length);
        var buffer = new byte[header + frame.Length];
        _instance.TryWriteBytes(buffer);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(16), (ushort)topics.Count);
        var at = 18;
        foreach (var topic in topics)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(at), (ushort)topic.Length);
            topic.CopyTo(buffer, at + 2);
            at += 2 + topic.Length;
        }
        frame.CopyTo(buffer, header);
        return buffer;
    }

    private void OnTopicMessage(RedisValue message)
    {
        var buffer = (byte[]?)message;
        if (buffer is null || buffer.Length < 18 || new Guid(buffer.AsSpan(0, 16)) == _instance)
        {
            return;
        }
        var count = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(16));
        var topics = new List<string>(count);
        var at = 18;
        for (var i = 0; i < count; i++)
        {
            if (at + 2 > buffer.Length)
            {
                return;
            }
            var length = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(at));
            if (at + 2 + length > buffer.Length)
            {
                return;
            }
            topics.Add(Encoding.UTF8.GetString(buffer, at + 2, length));
            at += 2 + length;
        }
        if (at >= buffer.Length)
        {
            return;
        }
        _registry.Deliver(new TopicEvent(topics, new SerializedFrame(buffer[at..])));
    }
}
