using System.Net.Http.Json;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Data;
using Switchboard.Realtime;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Realtime.SocketTestKit;

namespace Switchboard.Tests.Realtime;

public sealed class ChatSocketTests(SqliteKestrelApp app) : IClassFixture<SqliteKestrelApp>
{
    [Fact]
    public async Task RestSend_ReachesEverySocketInTheRoom_SenderIncluded()
    {
        var scene = await SceneAsync(app);
        using var alice = await ConnectAsync(app, scene.RoomId, scene.Alice.Access);
        using var bob = await ConnectAsync(app, scene.RoomId, scene.Bob.Access);

        var sent = await scene.Alice.SendRestAsync(scene.RoomId, "hello over REST", "rest-1");

        foreach (var socket in new[] { alice, bob })
        {
            var frame = await socket.ReceiveTypeAsync("message_new");
            Assert.Equal((int)sent["id"]!, (int)frame["message"]!["id"]!);
            Assert.Equal("hello over REST", (string)frame["message"]!["content"]!);
            Assert.Equal("rest-1", (string)frame["client_id"]!);
        }
    }

    [Fact]
    public async Task FirstFrameAuth_OpensTheRoom()
    {
        var scene = await SceneAsync(app);
        using var bob = await ConnectAsync(app, scene.RoomId, token: null);
        await bob.SendAsync(new { type = "auth", token = scene.Bob.Access });
        await bob.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (string)(await bob.ReceiveTypeAsync("pong"))["type"]!);
        await scene.Alice.SendRestAsync(scene.RoomId, "after auth frame");
        Assert.Equal("after auth frame", (string)(await bob.ReceiveTypeAsync("message_new"))["message"]!["content"]!);
    }

    [Fact]
    public async Task Handshake_Refusals_DeliverNoRoomEvent()
    {
        var scene = await SceneAsync(app);
        Assert.Equal(401, await RefusedStatusAsync(app, scene.RoomId, "not-a-token"));
        Assert.Equal(403, await RefusedStatusAsync(app, scene.RoomId, scene.Carol.Access));
        Assert.Equal(403, await RefusedStatusAsync(app, 99_999_999, scene.Alice.Access));
        Assert.Equal(403, await RefusedStatusAsync(app, scene.RoomId, scene.Alice.Access, origin: "https://evil.example"));

        // The server's own origin is fine.
        using var own = await ConnectAsync(app, scene.RoomId, scene.Alice.Access, origin: app.BaseAddress.GetLeftPart(UriPartial.Authority));
        Assert.Equal(WebSocketState.Open, own.State);
    }

    [Fact]
    public async Task FirstFrameAuth_WithABadTokenOrAsAnOutsider_IsClosedWith4401Or4403()
    {
        var scene = await SceneAsync(app);
        using var bad = await ConnectAsync(app, scene.RoomId, token: null);
        await bad.SendAsync(new { type = "auth", token = "garbage" });
        Assert.Equal(4401, await bad.ClosedWithAsync());

        using var notAuth = await ConnectAsync(app, scene.RoomId, token: null);
        await notAuth.SendAsync(new { type = "ping" });
        Assert.Equal(4401, await notAuth.ClosedWithAsync());

        using var outsider = await ConnectAsync(app, scene.RoomId, token: null);
        await outsider.SendAsync(new { type = "auth", token = scene.Carol.Access });
        Assert.Equal(4403, await outsider.ClosedWithAsync());
    }

    [Fact]
    public async Task SocketSend_IsStoredAndBroadcastWithClientId()
    {
        var scene = await SceneAsync(app);
        using var alice = await ConnectAsync(app, scene.RoomId, scene.Alice.Access);
        using var bob = await ConnectAsync(app, scene.RoomId, scene.Bob.Access);

        await alice.SendAsync(new { type = "message_send", content = "over the socket", message_type = "text", client_id = "c-42" });

        var mine = await alice.ReceiveTypeAsync("message_new");
        var theirs = await bob.ReceiveTypeAsync("message_new");
        Assert.Equal("c-42", (string)mine["client_id"]!);
        Assert.Equal((int)mine["message"]!["id"]!, (int)theirs["message"]!["id"]!);

        var history = await (await scene.Bob.Client.GetAsync($"/api/chat/messages/?room={scene.RoomId}")).JsonAsync(200);
        Assert.Contains(history["results"]!.AsArray(), m => (string)m!["content"]! == "over the socket");
    }

    [Fact]
    public async Task MessageNewFrame_ShowsTheMessageExactlyAsALaterReadDoes()
    {
        // The frame is built from the row just committed, not read back: it must still match the stored message.
        var scene = await SceneAsync(app);
        using var alice = await ConnectAsync(app, scene.RoomId, scene.Alice.Access);

        await alice.SendAsync(new { type = "message_send", content = "same everywhere", message_type = "text", client_id = "exact-1" });
        var frame = (await alice.ReceiveTypeAsync("message_new"))["message"]!;

        var stored = await (await scene.Alice.Client.GetAsync($"/api/chat/messages/{(int)frame["id"]!}/")).JsonAsync(200);
        Assert.Equal(stored.ToJsonString(), frame.ToJsonString());
    }

    [Fact]
    public async Task SocketEditDeleteAndReactions_ReachEveryone()
    {
        var scene = await SceneAsync(app);
        using var alice = await ConnectAsync(app, scene.RoomId, scene.Alice.Access);
        using var bob = await ConnectAsync(app, scene.RoomId, scene.Bob.Access);
        var id = (int)(await scene.Alice.SendRestAsync(scene.RoomId, "draft"))["id"]!;
        await alice.ReceiveTypeAsync("message_new");
        await bob.ReceiveTypeAsync("message_new");

        await alice.SendAsync(new { type = "message_edit", message_id = id, content = "final" });
        var edited = await bob.ReceiveTypeAsync("message_edited");
        Assert.Equal("final", (string)edited["message"]!["content"]!);
        Assert.True((bool)edited["message"]!["is_edited"]!);

        await bob.SendAsync(new { type = "reaction_add", message_id = id, emoji = "👍" });
        var added = await alice.ReceiveTypeAsync("reaction_added");
        Assert.Equal(id, (int)added["message_id"]!);
        Assert.Equal("👍", (string)added["reaction"]!["emoji"]!);
        Assert.Equal(scene.Bob.Id, (int)added["reaction"]!["user"]!["id"]!);

        await bob.SendAsync(new { type = "reaction_remove", message_id = id, emoji = "👍" });
        var removed = await alice.ReceiveTypeAsync("reaction_removed");
        Assert.Equal(scene.Bob.Id, (int)removed["user_id"]!);

        await alice.SendAsync(new { type = "message_delete", message_id = id });
        Assert.Equal(id, (int)(await bob.ReceiveTypeAsync("message_deleted"))["message_id"]!);
        Assert.Equal(id, (int)(await alice.ReceiveTypeAsync("message_deleted"))["message_id"]!);
    }

    [Fact]
    public async Task RestEditDeleteAndReactions_ReachSockets()
    {
        var scene = await SceneAsync(app);
        using var bob = await ConnectAsync(app, scene.RoomId, scene.Bob.Access);
        var id = (int)(await scene.Alice.SendRestAsync(scene.RoomId, "via rest"))["id"]!;
        await bob.ReceiveTypeAsync("message_new");

        await (await scene.Alice.Client.PatchAsJsonAsync($"/api/chat/messages/{id}/", new { content = "changed" })).EnsureStatusAsync(200);
        Assert.Equal("changed", (string)(await bob.ReceiveTypeAsync("message_edited"))["message"]!["content"]!);

        (await scene.Alice.Client.PostAsJsonAsync($"/api/chat/messages/{id}/add_reaction/", new { emoji = "🎉" })).EnsureSuccessStatusCode();
        Assert.Equal("🎉", (string)(await bob.ReceiveTypeAsync("reaction_added"))["reaction"]!["emoji"]!);

        await (await scene.Alice.Client.DeleteAsync($"/api/chat/messages/{id}/")).EnsureStatusAsync(204);
        Assert.Equal(id, (int)(await bob.ReceiveTypeAsync("message_deleted"))["message_id"]!);
    }

    [Fact]
    public async Task BadFrames_GetErrorFrames_AndTheSocketStaysUsable()
    {
        var scene = await SceneAsync(app);
        using var bob = await ConnectAsync(app, scene.RoomId, scene.Bob.Access);
        var aliceMessage = (int)(await scene.Alice.SendRestAsync(scene.RoomId, "alice's words"))["id"]!;
        await bob.ReceiveTypeAsync("message_new");

        await bob.SendTextAsync("this is not json");
        Assert.Equal("invalid_json", (string)(await bob.ReceiveTypeAsync("error"))["code"]!);
        await bob.SendAsync(new { type = "teleport" });
        Assert.Equal("unknown_type", (string)(await bob.ReceiveTypeAsync("error"))["code"]!);
        await bob.SendAsync(new { type = "message_edit", content = "no id" });
        Assert.Equal("invalid_frame", (string)(await bob.ReceiveTypeAsync("error"))["code"]!);
        await bob.SendAsync(new { type = "message_edit", message_id = aliceMessage, content = "hijack" });
        Assert.Equal("forbidden", (string)(await bob.ReceiveTypeAsync("error"))["code"]!);
        await bob.SendAsync(new { type = "message_delete", message_id = 987654321 });
        Assert.Equal("not_found", (string)(await bob.ReceiveTypeAsync("error"))["code"]!);
        await bob.SendAsync(new { type = "message_send", content = "   ", client_id = "blank" });
        var blank = await bob.ReceiveTypeAsync("error");
        Assert.Equal("validation_error", (string)blank["code"]!);
        Assert.Equal("blank", (string)blank["client_id"]!);
        await bob.SendAsync(new { type = "reaction_add", message_id = aliceMessage, emoji = "not an emoji" });
        Assert.Equal("validation_error", (string)(await bob.ReceiveTypeAsync("error"))["code"]!);

        await bob.SendAsync(new { type = "ping" });
        await bob.ReceiveTypeAsync("pong");
        await bob.SendAsync(new { type = "message_send", content = "still here", client_id = "ok" });
        Assert.Equal("still here", (string)(await bob.ReceiveTypeAsync("message_new"))["message"]!["content"]!);
    }

    [Fact]
    public async Task Typing_GoesToOthersButNotTheTypist_AndExpires()
    {
        var scene = await SceneAsync(app);
        using var alice = await ConnectAsync(app, scene.RoomId, scene.Alice.Access);
        using var bob = await ConnectAsync(app, scene.RoomId, scene.Bob.Access);

        await alice.SendAsync(new { type = "typing", is_typing = true });
        var typing = await bob.ReceiveTypeAsync("user_typing");
        Assert.Equal(scene.Alice.Id, (int)typing["user_id"]!);
        Assert.True((bool)typing["is_typing"]!);

        // No more updates: the typing state runs out by itself.
        var stopped = await bob.ReceiveTypeAsync("user_typing");
        Assert.False((bool)stopped["is_typing"]!);

        await alice.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (string)(await alice.ReceiveAsync())!["type"]!);
    }

    [Fact]
    public async Task RemovalFromTheRoom_ClosesTheSocket_AndStopsEvents()
    {
        var scene = await SceneAsync(app);
        using var bob = await ConnectAsync(app, scene.RoomId, scene.Bob.Access);
        using var alice = await ConnectAsync(app, scene.RoomId, scene.Alice.Access);

        (await scene.Alice.Client.PostAsJsonAsync($"/api/chat/rooms/{scene.RoomId}/remove_participant/", new { user_id = scene.Bob.Id }))
            .EnsureSuccessStatusCode();

        Assert.Equal(4403, await bob.ClosedWithAsync());
        Assert.Equal(scene.Bob.Id, (int)(await alice.ReceiveTypeAsync("user_left"))["user"]!["id"]!);
        Assert.Equal(403, await RefusedStatusAsync(app, scene.RoomId, scene.Bob.Access));
    }

    [Fact]
    public async Task RemovalFromTheProject_ClosesTheSocket()
    {
        var scene = await SceneAsync(app);
        using var bob = await ConnectAsync(app, scene.RoomId, scene.Bob.Access);
        await (await scene.Alice.Client.DeleteAsync($"/api/projects/{scene.ProjectId}/members/{scene.Bob.Id}/")).EnsureStatusAsync(204);
        Assert.Equal(4403, await bob.ClosedWithAsync());
    }

    [Fact]
    public async Task Reconnect_WithAfter_CatchesUpOnEverythingMissed()
    {
        var scene = await SceneAsync(app);
        var bob = await ConnectAsync(app, scene.RoomId, scene.Bob.Access);
        var lastSeen = (int)(await scene.Alice.SendRestAsync(scene.RoomId, "seen"))["id"]!;
        await bob.ReceiveTypeAsync("message_new");
        bob.Abort();
        bob.Dispose();

        var missed = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            missed.Add((int)(await scene.Alice.SendRestAsync(scene.RoomId, $"missed {i}"))["id"]!);
        }

        using var again = await ConnectAsync(app, scene.RoomId, scene.Bob.Access);
        var catchUp = await (await scene.Bob.Client.GetAsync($"/api/chat/messages/?room={scene.RoomId}&after={lastSeen}")).JsonAsync(200);
        Assert.Equal(missed, catchUp["results"]!.AsArray().Select(m => (int)m!["id"]!).ToList());

        await scene.Alice.SendRestAsync(scene.RoomId, "live again");
        Assert.Equal("live again", (string)(await again.ReceiveTypeAsync("message_new"))["message"]!["content"]!);
    }

    [Fact]
    public async Task FrameOver64KiB_ClosesWith1009()
    {
        var scene = await SceneAsync(app);
        using var bob = await ConnectAsync(app, scene.RoomId, scene.Bob.Access);
        await bob.SendTextAsync("{\"type\":\"message_send\",\"content\":\"" + new string('x', 70 * 1024) + "\"}");
        Assert.Equal(1009, await bob.ClosedWithAsync());
    }

    [Fact]
    public async Task ServerShutdown_ClosesSocketsWith1001()
    {
        using var own = new SqliteKestrelApp();
        var scene = await SceneAsync(own);
        using var bob = await ConnectAsync(own, scene.RoomId, scene.Bob.Access);
        var closed = bob.ClosedWithAsync();
        await own.DisposeAsync();
        Assert.Equal(1001, await closed);
    }
}

/// <summary>An app with a send limit small enough to hit: a burst of 3, refilled at one every 10 seconds.</summary>
public sealed class RateLimitedKestrelApp() : KestrelApp(DatabaseProvider.Sqlite, new Dictionary<string, string?>
{
    ["RateLimits:ChatBurst"] = "3",
    ["RateLimits:ChatPerSecond"] = "0.1",
});

public sealed class ChatSocketLimitTests(RateLimitedKestrelApp app) : IClassFixture<RateLimitedKestrelApp>
{
    [Fact]
    public async Task SendsOverTheRateLimit_GetRateLimitedErrors_AndAreNotStored()
    {
        var scene = await SceneAsync(app);
        using var alice = await ConnectAsync(app, scene.RoomId, scene.Alice.Access);
        for (var i = 0; i < 5; i++)
        {
            await alice.SendAsync(new { type = "message_send", content = $"burst {i}", client_id = $"b{i}" });
        }
        var delivered = 0;
        var limited = new List<string>();
        while (delivered + limited.Count < 5)
        {
            var frame = (await alice.ReceiveAsync())!;
            if ((string)frame["type"]! == "message_new")
            {
                delivered++;
            }
            else if ((string)frame["type"]! == "error")
            {
                Assert.Equal("rate_limited", (string)frame["code"]!);
                limited.Add((string)frame["client_id"]!);
            }
        }
        Assert.Equal(3, delivered);
        Assert.Equal(["b3", "b4"], limited);
        var history = await (await scene.Alice.Client.GetAsync($"/api/chat/messages/?room={scene.RoomId}")).JsonAsync(200);
        Assert.Equal(3, (int)history["count"]!);
    }

    [Fact]
    public async Task ASlowReader_DoesNotDelayTheOthers_AndItsQueueStaysBounded()
    {
        // REST sends count against the send limit too: this test needs an app without a low one.
        using var app = new SqliteKestrelApp();
        var scene = await SceneAsync(app);
        using var slow = await ConnectRawAsync(app, scene.RoomId, scene.Bob.Access);
        using var fast = await ConnectAsync(app, scene.RoomId, scene.Alice.Access);

        // The slow socket never reads. Large messages sent over REST pile up for it while the fast
        // socket keeps pace.
        var content = new string('y', 9_000);
        const int count = 300;
        for (var batch = 0; batch < count / 10; batch++)
        {
            await Task.WhenAll(Enumerable.Range(0, 10).Select(i => scene.Alice.SendRestAsync(scene.RoomId, content + (batch * 10 + i))));
        }

        var received = 0;
        while (received < count)
        {
            var frame = await fast.ReceiveAsync();
            Assert.NotNull(frame);
            if ((string?)frame!["type"] == "message_new")
            {
                received++;
            }
        }
        var registry = app.Services.GetRequiredService<ConnectionRegistry>();
        var slowConnection = registry.InRoom(scene.RoomId).SingleOrDefault(c => c.UserId == scene.Bob.Id);
        // Either it was cut off already, or what waits for it is bounded.
        Assert.True(slowConnection is null || slowConnection.Pending <= SocketConnection.QueueCapacity);
    }
}
