using System.Net;
using System.Net.Http.Json;
using StackExchange.Redis;
using Switchboard.Data;
using Switchboard.Tests.Features.Chat;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Realtime.SocketTestKit;

namespace Switchboard.Tests.Realtime;

/// <summary>
/// Two instances on PostgreSQL and the three-shard Redis Cluster that scripts/test.sh starts: fan-out
/// goes over sharded channels (SSUBSCRIBE/SPUBLISH), each on the shard that owns it.
/// </summary>
public sealed class RedisClusterTests : IDisposable
{
    private readonly ConnectionMultiplexer _cluster;
    private readonly KestrelApp _a;
    private readonly KestrelApp _b;

    public RedisClusterTests()
    {
        var configuration = TestDatabases.RedisClusterNodes + ",abortConnect=false,connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000";
        _cluster = ConnectionMultiplexer.Connect(configuration + ",allowAdmin=true");
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = TestDatabases.CreatePostgresDatabase(),
            ["Redis:Configuration"] = configuration,
            ["Jwt:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)),
        };
        _a = new KestrelApp(DatabaseProvider.Postgres, settings);
        _b = new KestrelApp(DatabaseProvider.Postgres, settings);
    }

    [Fact]
    public async Task RoomUserAndTopicEvents_CrossInstances_OverShardedChannelsOnEveryShard()
    {
        var scene = await SceneAsync(_a);
        var (bobOnB, _) = await UserSocketExtensions.OpenAsync(_b, scene.Bob.Access);
        using var __ = bobOnB;
        var (aliceOnA, _) = await UserSocketExtensions.OpenAsync(_a, scene.Alice.Access);
        using var ___ = aliceOnA;

        // Rooms made on A until their channels live on all three shards; B hears of each (a user event).
        var rooms = new Dictionary<EndPoint, int> { [OwnerOf(scene.RoomId)] = scene.RoomId };
        for (var i = 0; i < 40 && rooms.Count < 3; i++)
        {
            var room = await ChatKit.CreateRoomAsync(scene.Alice, scene.ProjectId, $"Room {i}", scene.Bob.Id);
            await bobOnB.ReceiveWhereAsync("room_added", f => (int)f["room"]!["id"]! == room);
            rooms.TryAdd(OwnerOf(room), room);
        }
        Assert.Equal(3, rooms.Count);

        // Room events both ways, in rooms on different shards.
        var bobViaB = _b.CreateClient();
        bobViaB.DefaultRequestHeaders.Authorization = new("Bearer", scene.Bob.Access);
        foreach (var room in rooms.Values)
        {
            await scene.Alice.SendRestAsync(room, $"from A in {room}");
            await bobOnB.ReceiveMessageInAsync(room, $"from A in {room}");
            await (await bobViaB.PostAsJsonAsync("/api/chat/messages/", new { room, content = $"from B in {room}", type = "text" }))
                .EnsureStatusAsync(201);
            await aliceOnA.ReceiveMessageInAsync(room, $"from B in {room}");
        }

        // A topic event: a ticket made on A reaches B's subscriber of the project.
        await bobOnB.SendAsync(new { type = "subscribe", topics = new[] { $"project:{scene.ProjectId}" } });
        await bobOnB.ReceiveTypeAsync("subscribed");
        await (await scene.Alice.Client.PostAsJsonAsync("/api/tickets/", new { project = scene.ProjectId, title = "Made on A" })).EnsureStatusAsync(201);
        Assert.Equal("Made on A", (string)(await bobOnB.ReceiveTypeAsync("ticket_created"))["ticket"]!["title"]!);

        // Each room's channel is a sharded one on the shard owning its slot, and nothing uses plain pub/sub.
        foreach (var (owner, room) in rooms)
        {
            Assert.Contains($"switchboard:room:{room}", await ShardChannelsAsync(owner, "switchboard:room:*"));
        }
        foreach (var node in _cluster.GetEndPoints())
        {
            var plain = (RedisResult[])(await _cluster.GetServer(node).ExecuteAsync("PUBSUB", "CHANNELS", "switchboard:*"))!;
            Assert.Empty(plain);
            Assert.NotEmpty(await ShardChannelsAsync(node, "switchboard:users:*"));
        }
    }

    [Fact]
    public async Task AShardDroppingItsSubscribers_ClosesSocketsWith1012_AndFanOutResumes()
    {
        var scene = await SceneAsync(_a);
        var (bobOnB, _) = await UserSocketExtensions.OpenAsync(_b, scene.Bob.Access);
        await scene.Alice.SendRestAsync(scene.RoomId, "before");
        await bobOnB.ReceiveMessageInAsync(scene.RoomId, "before");

        // The shard that carries the room loses its subscriber connections (as when it restarts):
        // events published meanwhile are lost to B, so B's sockets are told to reconnect and catch up.
        await _cluster.GetServer(OwnerOf(scene.RoomId)).ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");
        Assert.Equal(1012, await bobOnB.ClosedWithAsync());
        bobOnB.Dispose();

        // The client reconnects (again, if the resubscription closes it once more) and hears the room.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        for (var attempt = 0; ; attempt++)
        {
            var (again, _) = await UserSocketExtensions.OpenAsync(_b, scene.Bob.Access);
            using var socket = again;
            await scene.Alice.SendRestAsync(scene.RoomId, $"after {attempt}");
            try
            {
                await socket.ReceiveMessageInAsync(scene.RoomId, $"after {attempt}");
                break;
            }
            catch (Xunit.Sdk.XunitException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    private EndPoint OwnerOf(int roomId)
    {
        var slot = _cluster.HashSlot($"switchboard:room:{roomId}");
        var server = _cluster.GetServer(_cluster.GetEndPoints()[0]);
        return server.ClusterConfiguration!.GetBySlot(slot)!.EndPoint!;
    }

    private async Task<List<string>> ShardChannelsAsync(EndPoint node, string pattern)
    {
        var result = (RedisResult[])(await _cluster.GetServer(node).ExecuteAsync("PUBSUB", "SHARDCHANNELS", pattern))!;
        return result.Select(r => (string)r!).ToList();
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _cluster.Dispose();
    }
}
