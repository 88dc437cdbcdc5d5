using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using Switchboard.Data;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Realtime.SocketTestKit;

namespace Switchboard.Tests.Realtime;

/// <summary>Two server instances sharing one PostgreSQL database and one Redis, as behind a load balancer.</summary>
public sealed class ClusterTests : IDisposable
{
    private readonly InstanceCluster _cluster = new(
        ("Presence:AwayAfterSeconds", "60"), ("Presence:OfflineAfterSeconds", "1"), ("Presence:TickSeconds", "0.1"));
    private readonly KestrelApp _a;
    private readonly KestrelApp _b;

    public ClusterTests()
    {
        _a = _cluster.Start();
        _b = _cluster.Start();
    }

    [Fact]
    public async Task AMessageSentOnOneInstance_ReachesSocketsOnTheOther()
    {
        var scene = await SceneAsync(_a);
        using var bobOnB = await ConnectAsync(_b, scene.RoomId, scene.Bob.Access);
        using var aliceOnA = await ConnectAsync(_a, scene.RoomId, scene.Alice.Access);

        await scene.Alice.SendRestAsync(scene.RoomId, "across instances", "x-1");
        var frame = await bobOnB.ReceiveTypeAsync("message_new");
        Assert.Equal("across instances", (string)frame["message"]!["content"]!);
        Assert.Equal("x-1", (string)frame["client_id"]!);

        await bobOnB.SendAsync(new { type = "message_send", content = "and back", client_id = "x-2" });
        await aliceOnA.ReceiveMessageAsync("and back");

        await bobOnB.SendAsync(new { type = "typing", is_typing = true });
        Assert.Equal(scene.Bob.Id, (int)(await aliceOnA.ReceiveTypeAsync("user_typing"))["user_id"]!);
    }

    [Fact]
    public async Task UserSocketOnTheOtherInstance_GetsRoomMessagesRoomAddedAndTopicFrames()
    {
        var scene = await SceneAsync(_a);
        var (bobOnB, _) = await UserSocketExtensions.OpenAsync(_b, scene.Bob.Access);
        using var __ = bobOnB;

        await scene.Alice.SendRestAsync(scene.RoomId, "to the user socket on B");
        await bobOnB.ReceiveMessageInAsync(scene.RoomId, "to the user socket on B");

        // Added on A: B's socket takes the new room on and hears it.
        var room = await Features.Chat.ChatKit.CreateRoomAsync(scene.Alice, scene.ProjectId, "Made on A", scene.Bob.Id);
        await bobOnB.ReceiveWhereAsync("room_added", f => (int)f["room"]!["id"]! == room);
        await scene.Alice.SendRestAsync(room, "in the new room");
        await bobOnB.ReceiveMessageInAsync(room, "in the new room");

        await bobOnB.SendAsync(new { type = "subscribe", topics = new[] { $"project:{scene.ProjectId}" } });
        await bobOnB.ReceiveTypeAsync("subscribed");
        await (await scene.Alice.Client.PostAsJsonAsync("/api/tickets/", new { project = scene.ProjectId, title = "Made on A" })).EnsureStatusAsync(201);
        Assert.Equal("Made on A", (string)(await bobOnB.ReceiveTypeAsync("ticket_created"))["ticket"]!["title"]!);

        // Removed on A: the room stops on B at once.
        await (await scene.Alice.Client.PostAsJsonAsync($"/api/chat/rooms/{room}/remove_participant/", new { user_id = scene.Bob.Id }))
            .EnsureStatusAsync(204);
        await bobOnB.ReceiveWhereAsync("room_removed", f => (int)f["room_id"]! == room);
    }

    [Fact]
    public async Task Presence_IsClusterWide_OnlineOnOneInstanceIsOnlineOnBoth()
    {
        var scene = await SceneAsync(_a);
        var (aliceOnA, _) = await UserSocketExtensions.OpenAsync(_a, scene.Alice.Access);
        using var __ = aliceOnA;

        var (bobOnB, _) = await UserSocketExtensions.OpenAsync(_b, scene.Bob.Access);
        await aliceOnA.ReceiveWhereAsync("presence_changed", f => (int)f["user_id"]! == scene.Bob.Id && (string)f["status"]! == "online");
        foreach (var app in new[] { _a, _b })
        {
            var client = app.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", scene.Alice.Access);
            var list = await (await client.GetAsync($"/api/users/presence/?ids={scene.Bob.Id},{scene.Alice.Id}")).JsonAsync(200);
            Assert.All(list["results"]!.AsArray(), r => Assert.Equal("online", (string)r!["status"]!));
        }

        bobOnB.Dispose();
        await aliceOnA.ReceiveWhereAsync("presence_changed", f => (int)f["user_id"]! == scene.Bob.Id && (string)f["status"]! == "offline");
    }

    [Fact]
    public async Task RedisOutage_ClosesSocketsWith1012_ReportsDegraded_AndFanOutResumes()
    {
        var scene = await SceneAsync(_a);
        using var bobOnB = await ConnectAsync(_b, scene.RoomId, scene.Bob.Access);
        using var aliceOnA = await ConnectAsync(_a, scene.RoomId, scene.Alice.Access);
        var before = (int)(await scene.Alice.SendRestAsync(scene.RoomId, "before the outage"))["id"]!;
        await bobOnB.ReceiveTypeAsync("message_new");

        _cluster.Redis.Stop();
        // Events from elsewhere can no longer reach B: its sockets are told to reconnect and catch up.
        Assert.Equal(1012, await bobOnB.ClosedWithAsync());
        Assert.Equal(1012, await aliceOnA.ClosedWithAsync());

        // Sends still work, and the instance that took the change still tells its own sockets.
        using var aliceAgain = await ConnectAsync(_a, scene.RoomId, scene.Alice.Access);
        using var bobDuring = await ConnectAsync(_b, scene.RoomId, scene.Bob.Access);
        var during = await scene.Alice.SendRestAsync(scene.RoomId, "during the outage");
        await aliceAgain.ReceiveMessageAsync("during the outage");

        // Ready, degraded: a load balancer must not take every instance out because Redis blinked.
        foreach (var app in new[] { _a, _b })
        {
            var ready = await (await app.CreateClient().GetAsync("/health/ready")).JsonAsync(200);
            Assert.Equal("degraded", (string)ready["status"]!);
            Assert.Equal("degraded", (string)ready["checks"]!["redis"]!["status"]!);
            Assert.Equal("healthy", (string)ready["checks"]!["database"]!["status"]!);
        }

        _cluster.Redis.Start();
        // A socket opened during the outage missed what other instances published: it is closed
        // again once the subscription is back, so that it catches up.
        Assert.Equal(1012, await bobDuring.ClosedWithAsync());
        await WaitUntilHealthyAsync(_a);
        await WaitUntilHealthyAsync(_b);

        // Nothing stored was lost: a client catching up with ?after= gets the message it missed.
        var catchUp = await (await scene.Bob.Client.GetAsync($"/api/chat/messages/?room={scene.RoomId}&after={before}")).JsonAsync(200);
        Assert.Contains(catchUp["results"]!.AsArray(), m => (int)m!["id"]! == (int)during["id"]!);

        // Fan-out resumed by itself for a socket opened after the outage.
        using var bobAfter = await ConnectAsync(_b, scene.RoomId, scene.Bob.Access);
        await scene.Alice.SendRestAsync(scene.RoomId, "after the outage");
        await bobAfter.ReceiveMessageAsync("after the outage");
    }

    private static async Task WaitUntilHealthyAsync(KestrelApp app)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var response = await app.CreateClient().GetAsync("/health/ready");
            if (response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).StartsWith("{\"status\":\"healthy\"", StringComparison.Ordinal))
            {
                return;
            }
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException("the instance did not become healthy again");
    }

    public void Dispose() => _cluster.Dispose();
}
