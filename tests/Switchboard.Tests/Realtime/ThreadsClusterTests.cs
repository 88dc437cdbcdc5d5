using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Realtime.SocketTestKit;
using static Switchboard.Tests.Realtime.UserSocketExtensions;

namespace Switchboard.Tests.Realtime;

/// <summary>
/// Threads, mentions, notifications and read receipts across two instances sharing PostgreSQL and
/// Redis: what people do through instance A reaches their sockets on instance B.
/// </summary>
public sealed class ThreadsClusterTests : IDisposable
{
    private readonly InstanceCluster _cluster = new();
    private readonly KestrelApp _a;
    private readonly KestrelApp _b;

    public ThreadsClusterTests()
    {
        _a = _cluster.Start();
        _b = _cluster.Start();
    }

    private static bool InRoom(JsonObject frame, int roomId) => (int?)frame["room_id"] == roomId;

    private static bool Holds(JsonObject frame, int id) => frame["ids"]!.AsArray().Any(x => (int)x! == id);

    [Fact]
    public async Task ThreadReplyAndMention_OnOneInstance_ReachThePersonOnTheOther_ThreadUpdatedNotificationCreatedAndUnreadUpdated()
    {
        // Every HTTP call of the scene goes to A; the sockets are on B.
        var scene = await SceneAsync(_a);
        var root = (int)(await scene.Bob.SendRestAsync(scene.RoomId, "bob's root"))["id"]!;
        var (bobOnB, _) = await OpenAsync(_b, scene.Bob.Access);
        using var __ = bobOnB;
        // B's subscription to the room goes through Redis: a message seen there first proves it is live.
        await scene.Alice.SendRestAsync(scene.RoomId, "warming up B");
        await bobOnB.ReceiveMessageInAsync(scene.RoomId, "warming up B");

        await (await scene.Alice.Client.PostAsJsonAsync("/api/chat/messages/",
            new { room = scene.RoomId, content = "a reply made on A", thread_root_id = root })).EnsureStatusAsync(201);
        var updated = await bobOnB.ReceiveWhereAsync("thread_updated", f => (int)f["root_id"]! == root);
        Assert.Equal(scene.RoomId, (int)updated["room_id"]!);
        Assert.Equal(1, (int)updated["reply_count"]!);
        Assert.Equal(scene.Alice.Id, (int)updated["thread_participants"]![0]!["id"]!);
        var reply = await bobOnB.ReceiveWhereAsync("notification_created", f => (string)f["notification"]!["type"]! == "thread_reply");
        Assert.Equal(scene.Alice.Id, (int)reply["notification"]!["actor"]!["id"]!);
        await bobOnB.ReceiveWhereAsync("unread_updated", f => InRoom(f, scene.RoomId) && (int)f["unread_thread_count"]! == 1);

        await scene.Alice.SendRestAsync(scene.RoomId, $"@{scene.Bob.Username} a mention made on A");
        var mention = await bobOnB.ReceiveWhereAsync("notification_created", f => (string)f["notification"]!["type"]! == "mention");
        Assert.Equal(scene.RoomId, (int)mention["notification"]!["room"]!);
        var counts = await bobOnB.ReceiveWhereAsync("unread_updated", f => InRoom(f, scene.RoomId) && (int)f["mention_count"]! == 1);
        Assert.Equal(2, (int)counts["unread_count"]!); // the warm-up and the mention (the reply is in the thread only)
    }

    [Fact]
    public async Task ReadingOnOneInstance_ReachesTheOther_NotificationsReadUnreadUpdatedAndReadReceipt()
    {
        var scene = await SceneAsync(_a);
        var root = (int)(await scene.Bob.SendRestAsync(scene.RoomId, "bob's root"))["id"]!;
        await (await scene.Alice.Client.PostAsJsonAsync("/api/chat/messages/",
            new { room = scene.RoomId, content = "a reply", thread_root_id = root })).EnsureStatusAsync(201);
        var mentionMessage = (int)(await scene.Alice.SendRestAsync(scene.RoomId, $"@{scene.Bob.Username} look"))["id"]!;
        var notifications = (await (await scene.Bob.Client.GetAsync("/api/notifications/")).JsonAsync(200))["results"]!.AsArray();
        var mentionId = (int)notifications.Single(n => (string)n!["type"]! == "mention")!["id"]!;
        var replyId = (int)notifications.Single(n => (string)n!["type"]! == "thread_reply")!["id"]!;
        var (bobOnB, _) = await OpenAsync(_b, scene.Bob.Access);
        using var __ = bobOnB;
        var (aliceOnB, _) = await OpenAsync(_b, scene.Alice.Access);
        using var ___ = aliceOnB;

        // Bob reads the room on A (another device of his): his socket on B hears it, Alice's hears his receipt.
        await (await scene.Bob.Client.PostAsJsonAsync($"/api/chat/rooms/{scene.RoomId}/mark_read/", new { })).EnsureStatusAsync(200);
        Assert.DoesNotContain(replyId, (await bobOnB.ReceiveWhereAsync("notifications_read", f => Holds(f, mentionId)))["ids"]!.AsArray().Select(x => (int)x!));
        var counts = await bobOnB.ReceiveWhereAsync("unread_updated", f => InRoom(f, scene.RoomId) && (int)f["unread_count"]! == 0);
        Assert.Equal(0, (int)counts["mention_count"]!);
        Assert.Equal(1, (int)counts["unread_thread_count"]!);
        var receipt = await aliceOnB.ReceiveWhereAsync("read_receipt", f => (int)f["user_id"]! == scene.Bob.Id);
        Assert.Equal(scene.RoomId, (int)receipt["room_id"]!);
        Assert.Equal(mentionMessage, (int)receipt["last_read_message_id"]!);

        // Then the thread, on A: its reply notification is read on B, and the unread thread is gone.
        await (await scene.Bob.Client.PostAsync($"/api/chat/threads/{root}/mark_read/", null)).EnsureStatusAsync(200);
        await bobOnB.ReceiveWhereAsync("notifications_read", f => Holds(f, replyId));
        await bobOnB.ReceiveWhereAsync("unread_updated", f => InRoom(f, scene.RoomId) && (int)f["unread_thread_count"]! == 0);
    }

    public void Dispose() => _cluster.Dispose();
}
