using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Switchboard.Tests.Features.Chat;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Realtime.SocketTestKit;
using static Switchboard.Tests.Realtime.UserSocketExtensions;

namespace Switchboard.Tests.Realtime;

public sealed class SqliteThreadSocketTests(SqliteUserSocketApp app) : ThreadSocketTests(app), IClassFixture<SqliteUserSocketApp>;

public sealed class PostgresThreadSocketTests(PostgresUserSocketApp app) : ThreadSocketTests(app), IClassFixture<PostgresUserSocketApp>;

/// <summary>Thread replies sent over either socket: the same rules as <c>POST /api/chat/messages/</c>.</summary>
public abstract class ThreadSocketTests(UserSocketApp app)
{
    private static int[] Ids(JsonObject page) => page["results"]!.AsArray().Select(m => (int)m!["id"]!).ToArray();

    private static async Task<JsonObject> GetAsync(TestUser user, string url) => await (await user.Client.GetAsync(url)).JsonAsync(200);

    private static void AssertNamesThreadRoot(JsonObject error, string code, string clientId)
    {
        Assert.Equal(code, (string)error["code"]!);
        Assert.StartsWith("thread_root_id:", (string)error["detail"]!, StringComparison.Ordinal);
        Assert.Equal(clientId, (string?)error["client_id"]);
    }

    [Fact]
    public async Task UserSocket_MessageSendWithThreadRootId_RepliesInTheThread_AndBadRootsAreErrorsNamingTheField()
    {
        var scene = await SceneAsync(app);
        var other = await ChatKit.CreateRoomAsync(scene.Alice, scene.ProjectId, "Other", scene.Bob.Id);
        var root = (int)(await scene.Alice.SendRestAsync(scene.RoomId, "the root"))["id"]!;
        var elsewhere = (int)(await scene.Alice.SendRestAsync(other, "in another room"))["id"]!;
        var (bob, _) = await OpenAsync(app, scene.Bob.Access);
        using var __ = bob;

        await bob.SendAsync(new { type = "message_send", room_id = scene.RoomId, content = "only in the thread", thread_root_id = root, client_id = "t-1" });
        var reply = await bob.ReceiveMessageInAsync(scene.RoomId, "only in the thread");
        Assert.Equal(root, (int)reply["message"]!["thread_root_id"]!);
        Assert.False((bool)reply["message"]!["also_send_to_room"]!);
        Assert.Equal("t-1", (string)reply["client_id"]!);
        var updated = await bob.ReceiveWhereAsync("thread_updated", f => (int)f["root_id"]! == root);
        Assert.Equal(1, (int)updated["reply_count"]!);

        await bob.SendAsync(new { type = "message_send", room_id = scene.RoomId, content = "also in the room", thread_root_id = root, also_send_to_room = true });
        var both = await bob.ReceiveMessageInAsync(scene.RoomId, "also in the room");
        Assert.True((bool)both["message"]!["also_send_to_room"]!);

        var replyId = (int)reply["message"]!["id"]!;
        var bothId = (int)both["message"]!["id"]!;
        Assert.Equal([root, bothId], Ids(await GetAsync(scene.Bob, $"/api/chat/messages/?room={scene.RoomId}")));
        Assert.Equal([root, replyId, bothId], Ids(await GetAsync(scene.Bob, $"/api/chat/messages/?thread={root}")));

        // One level deep, same room, a number: each refusal names thread_root_id and stores nothing.
        await bob.SendAsync(new { type = "message_send", room_id = scene.RoomId, content = "x", thread_root_id = replyId, client_id = "t-2" });
        AssertNamesThreadRoot(await bob.ReceiveTypeAsync("error"), "validation_error", "t-2");
        await bob.SendAsync(new { type = "message_send", room_id = scene.RoomId, content = "x", thread_root_id = elsewhere, client_id = "t-3" });
        AssertNamesThreadRoot(await bob.ReceiveTypeAsync("error"), "validation_error", "t-3");
        await bob.SendAsync(new { type = "message_send", room_id = scene.RoomId, content = "x", thread_root_id = 999_999_999_999L, client_id = "t-4" });
        AssertNamesThreadRoot(await bob.ReceiveTypeAsync("error"), "validation_error", "t-4");
        await bob.SendAsync(new { type = "message_send", room_id = scene.RoomId, content = "x", thread_root_id = "abc", client_id = "t-5" });
        AssertNamesThreadRoot(await bob.ReceiveTypeAsync("error"), "invalid_frame", "t-5");
        await bob.SendAsync(new { type = "message_send", room_id = scene.RoomId, content = "x", thread_root_id = root, also_send_to_room = "yes", client_id = "t-6" });
        var badFlag = await bob.ReceiveTypeAsync("error");
        Assert.Equal("invalid_frame", (string)badFlag["code"]!);
        Assert.StartsWith("also_send_to_room:", (string)badFlag["detail"]!, StringComparison.Ordinal);

        Assert.Equal(2, (int)(await GetAsync(scene.Bob, $"/api/chat/messages/?thread={root}"))["results"]!.AsArray().Count - 1);
        Assert.Equal(1, (int)(await GetAsync(scene.Alice, $"/api/chat/messages/?room={other}"))["count"]!);
    }

    // A socket opened after the mention and the reply used to say 0 and 0 on the next plain message
    // (and on a read of the room), until something sent the feature's own counts again.
    [Fact]
    public async Task UnreadUpdated_OnASocketOpenedAfterAMentionAndAThreadReply_KeepsTheirCounts()
    {
        var scene = await SceneAsync(app);
        var root = (int)(await scene.Bob.SendRestAsync(scene.RoomId, "bob's root"))["id"]!;
        await (await scene.Alice.Client.PostAsJsonAsync("/api/chat/messages/",
            new { room = scene.RoomId, content = "a reply", thread_root_id = root })).EnsureStatusAsync(201);
        await scene.Alice.SendRestAsync(scene.RoomId, $"@{scene.Bob.Username} look");
        var (bob, _) = await OpenAsync(app, scene.Bob.Access);
        using var __ = bob;

        await scene.Alice.SendRestAsync(scene.RoomId, "plain");
        var counts = await bob.ReceiveWhereAsync("unread_updated", f => (int)f["room_id"]! == scene.RoomId);
        Assert.Equal(2, (int)counts["unread_count"]!);
        Assert.Equal(1, (int)counts["mention_count"]!);
        Assert.Equal(1, (int)counts["unread_thread_count"]!);

        // Reading the room reads its messages and mentions, not the thread: every frame says so.
        await (await scene.Bob.Client.PostAsJsonAsync($"/api/chat/rooms/{scene.RoomId}/mark_read/", new { })).EnsureStatusAsync(200);
        var seen = new List<JsonObject>();
        await bob.ReceiveWhereAsync("notifications_read", _ => true, seen);
        await bob.SendAsync(new { type = "ping" });
        await bob.ReceiveWhereAsync("pong", _ => true, seen);
        var afterRead = seen.Where(f => (string)f["type"]! == "unread_updated").ToList();
        Assert.NotEmpty(afterRead);
        Assert.All(afterRead, f =>
        {
            Assert.Equal(0, (int)f["unread_count"]!);
            Assert.Equal(0, (int)f["mention_count"]!);
            Assert.Equal(1, (int)f["unread_thread_count"]!);
        });
    }

    [Fact]
    public async Task RoomSocket_MessageSendWithThreadRootId_RepliesInTheThread_AndAReplyToAReplyIsAnError()
    {
        var scene = await SceneAsync(app);
        var root = (int)(await scene.Alice.SendRestAsync(scene.RoomId, "the root"))["id"]!;
        using var bob = await ConnectAsync(app, scene.RoomId, scene.Bob.Access);

        await bob.SendAsync(new { type = "message_send", content = "reply from the room socket", thread_root_id = root, client_id = "r-1" });
        var reply = await bob.ReceiveMessageAsync("reply from the room socket");
        Assert.Equal(root, (int)reply["message"]!["thread_root_id"]!);
        Assert.Equal(1, (int)(await GetAsync(scene.Alice, $"/api/chat/messages/{root}/"))["reply_count"]!);
        Assert.True((bool)(await GetAsync(scene.Bob, $"/api/chat/messages/{root}/"))["is_following"]!);

        await bob.SendAsync(new { type = "message_send", content = "deeper", thread_root_id = (int)reply["message"]!["id"]!, client_id = "r-2" });
        AssertNamesThreadRoot(await bob.ReceiveTypeAsync("error"), "validation_error", "r-2");
    }
}
