using Switchboard.Data;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Realtime.SocketTestKit;

namespace Switchboard.Tests.Realtime;

/// <summary>Pin events reach the room's sockets, the pinner's own included.</summary>
public sealed class PinEventsTests(SqliteKestrelApp app) : IClassFixture<SqliteKestrelApp>
{
    [Fact]
    public async Task PinAndUnpin_ReachEverySocketInTheRoom()
    {
        var scene = await SceneAsync(app);
        using var alice = await ConnectAsync(app, scene.RoomId, scene.Alice.Access);
        using var bob = await ConnectAsync(app, scene.RoomId, scene.Bob.Access);
        var id = (int)(await scene.Alice.SendRestAsync(scene.RoomId, "worth pinning"))["id"]!;

        await (await scene.Bob.Client.PostAsync($"/api/chat/messages/{id}/pin/", null)).EnsureStatusAsync(200);
        foreach (var socket in new[] { alice, bob })
        {
            var frame = await socket.ReceiveTypeAsync("message_pinned");
            Assert.Equal(scene.RoomId, (int)frame["room_id"]!);
            Assert.Equal(id, (int)frame["message_id"]!);
            Assert.Equal(scene.Bob.Id, (int)frame["pinned_by"]!["id"]!);
            Assert.True((bool)frame["message"]!["is_pinned"]!);
        }

        await (await scene.Alice.Client.PostAsync($"/api/chat/messages/{id}/unpin/", null)).EnsureStatusAsync(200);
        foreach (var socket in new[] { alice, bob })
        {
            var frame = await socket.ReceiveTypeAsync("message_unpinned");
            Assert.Equal(id, (int)frame["message_id"]!);
            Assert.Equal(scene.Alice.Id, (int)frame["pinned_by"]!["id"]!);
        }
    }
}

/// <summary>Two instances sharing PostgreSQL and Redis: a pin on one reaches sockets on the other.</summary>
public sealed class PinClusterTests : IDisposable
{
    private readonly InstanceCluster _cluster = new();
    private readonly KestrelApp _a;
    private readonly KestrelApp _b;

    public PinClusterTests()
    {
        _a = _cluster.Start();
        _b = _cluster.Start();
    }

    [Fact]
    public async Task APinOnOneInstance_ReachesSocketsOnTheOther()
    {
        var scene = await SceneAsync(_a);
        using var bobOnB = await ConnectAsync(_b, scene.RoomId, scene.Bob.Access);
        var id = (int)(await scene.Alice.SendRestAsync(scene.RoomId, "pin across instances"))["id"]!;
        await bobOnB.ReceiveTypeAsync("message_new");

        await (await scene.Alice.Client.PostAsync($"/api/chat/messages/{id}/pin/", null)).EnsureStatusAsync(200);
        var pinned = await bobOnB.ReceiveTypeAsync("message_pinned");
        Assert.Equal(id, (int)pinned["message_id"]!);
        Assert.Equal(scene.Alice.Id, (int)pinned["pinned_by"]!["id"]!);

        await (await scene.Alice.Client.PostAsync($"/api/chat/messages/{id}/unpin/", null)).EnsureStatusAsync(200);
        Assert.Equal(id, (int)(await bobOnB.ReceiveTypeAsync("message_unpinned"))["message_id"]!);
    }

    public void Dispose() => _cluster.Dispose();
}
