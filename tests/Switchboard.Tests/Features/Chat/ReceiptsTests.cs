using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Features.Chat;

public sealed class ReceiptsTestsOnSqlite(SqliteApp app) : ReceiptsTests(app), IClassFixture<SqliteApp>;

public sealed class ReceiptsTestsOnPostgres(PostgresApp app) : ReceiptsTests(app), IClassFixture<PostgresApp>;

public abstract class ReceiptsTests(SwitchboardApp app)
{
    private static Task<HttpResponseMessage> MarkReadAsync(TestUser user, int room, int? messageId = null) =>
        messageId is null
            ? user.Client.PostAsync($"/api/chat/rooms/{room}/mark_read/", null)
            : user.PostJsonAsync($"/api/chat/rooms/{room}/mark_read/", new { message_id = messageId });

    private static async Task SetShareReadReceiptsAsync(TestUser user, bool share) =>
        await (await user.Client.PatchAsJsonAsync("/api/auth/me/", new { share_read_receipts = share })).EnsureStatusAsync(200);

    [Fact]
    public async Task MarkRead_MovesTheMarkForwardOnly_AndDefaultsToTheNewest()
    {
        var c = await app.CastAsync();
        var m1 = await c.Creator.SendIdAsync(c.RoomId, "one");
        var m2 = await c.Creator.SendIdAsync(c.RoomId, "two");
        var m3 = await c.Creator.SendIdAsync(c.RoomId, "three");

        var read = await (await MarkReadAsync(c.Participant, c.RoomId, m2)).JsonAsync(200);
        Assert.Equal(["last_read_message_id", "last_read_at", "unread_count"], read.Select(p => p.Key).ToArray());
        Assert.Equal(m2, (int)read["last_read_message_id"]!);
        Assert.Equal(1, (int)read["unread_count"]!);

        var back = await (await MarkReadAsync(c.Participant, c.RoomId, m1)).JsonAsync(200);
        Assert.Equal(m2, (int)back["last_read_message_id"]!);
        Assert.Equal((string)read["last_read_at"]!, (string)back["last_read_at"]!);

        var all = await (await MarkReadAsync(c.Participant, c.RoomId)).JsonAsync(200);
        Assert.Equal(m3, (int)all["last_read_message_id"]!);
        Assert.Equal(0, (int)all["unread_count"]!);

        await (await MarkReadAsync(c.Participant, c.RoomId, 999_999_999)).AssertFieldErrorAsync("message_id");
        await (await c.Participant.Client.PostRawAsync($"/api/chat/rooms/{c.RoomId}/mark_read/", "{\"message_id\":\"x\"}"))
            .AssertFieldErrorAsync("message_id");
        await (await MarkReadAsync(c.Member, c.RoomId, m1)).ProblemAsync(404);
    }

    [Fact]
    public async Task MarkUnread_MovesTheMarkToJustBeforeTheMessage()
    {
        var c = await app.CastAsync();
        var m1 = await c.Creator.SendIdAsync(c.RoomId, "one");
        var m2 = await c.Creator.SendIdAsync(c.RoomId, "two");
        await c.Creator.SendIdAsync(c.RoomId, "three");
        await (await MarkReadAsync(c.Participant, c.RoomId)).EnsureStatusAsync(200);

        var unread = await (await c.Participant.PostJsonAsync($"/api/chat/rooms/{c.RoomId}/mark_unread/", new { message_id = m2 })).JsonAsync(200);
        Assert.Equal(m1, (int)unread["last_read_message_id"]!);
        Assert.Equal(2, (int)unread["unread_count"]!);
        var room = await (await c.Participant.Client.GetAsync($"/api/chat/rooms/{c.RoomId}/")).JsonAsync(200);
        Assert.Equal(2, (int)room["unread_count"]!);

        var first = await (await c.Participant.PostJsonAsync($"/api/chat/rooms/{c.RoomId}/mark_unread/", new { message_id = m1 })).JsonAsync(200);
        Assert.Null(first["last_read_message_id"]);
        Assert.Equal(3, (int)first["unread_count"]!);

        await (await c.Participant.PostJsonAsync($"/api/chat/rooms/{c.RoomId}/mark_unread/", new { })).AssertFieldErrorAsync("message_id");
    }

    [Fact]
    public async Task Receipts_ListWhoReadAMessage_AndOptingOutHidesAUserEverywhere()
    {
        var c = await app.CastAsync();
        var message = await c.Creator.SendIdAsync(c.RoomId, "read me");
        await (await MarkReadAsync(c.Participant, c.RoomId)).EnsureStatusAsync(200);
        await (await MarkReadAsync(c.Admin, c.RoomId)).EnsureStatusAsync(200);

        var receipts = await (await c.Creator.Client.GetAsync($"/api/chat/messages/{message}/receipts/")).JsonAsync(200);
        Assert.Equal(["read_count", "participant_count", "read_by"], receipts.Select(p => p.Key).ToArray());
        Assert.Equal(2, (int)receipts["read_count"]!);
        Assert.Equal(3, (int)receipts["participant_count"]!); // participant, admin, viewer: not the author
        Assert.Equal([c.Participant.Id, c.Admin.Id], receipts["read_by"]!.AsArray().Select(r => (int)r!["user"]!["id"]!).ToArray());
        Assert.NotNull(receipts["read_by"]![0]!["read_at"]);

        await SetShareReadReceiptsAsync(c.Admin, false);
        using var recorder = app.RecordEvents();
        var later = await c.Creator.SendIdAsync(c.RoomId, "later");
        await (await MarkReadAsync(c.Admin, c.RoomId)).EnsureStatusAsync(200);
        receipts = await (await c.Creator.Client.GetAsync($"/api/chat/messages/{later}/receipts/")).JsonAsync(200);
        Assert.Equal(0, (int)receipts["read_count"]!);
        Assert.Equal(2, (int)receipts["participant_count"]!);
        receipts = await (await c.Creator.Client.GetAsync($"/api/chat/messages/{message}/receipts/")).JsonAsync(200);
        Assert.Equal([c.Participant.Id], receipts["read_by"]!.AsArray().Select(r => (int)r!["user"]!["id"]!).ToArray());
        Assert.DoesNotContain(recorder.FramesFor(c.RoomId), f => (string)f["type"]! is "read_receipt" or "room_read");
        var room = await (await c.Creator.Client.GetAsync($"/api/chat/rooms/{c.RoomId}/")).JsonAsync(200);
        var admin = room["participants"]!.AsArray().Single(p => (int)p!["user"]!["id"]! == c.Admin.Id)!;
        Assert.Null(admin["last_read_at"]);
        Assert.Null(admin["last_read_message_id"]);

        await (await c.Member.Client.GetAsync($"/api/chat/messages/{message}/receipts/")).ProblemAsync(404);
    }

    [Fact]
    public async Task ReadReceiptEvents_AreCoalescedToOnePerUserAndRoomEveryTwoSeconds_AndTheLastIsNotLost()
    {
        var c = await app.CastAsync();
        var ids = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await c.Creator.SendIdAsync(c.RoomId, $"m{i}"));
        }
        using var recorder = app.RecordEvents();
        List<JsonObject> Receipts() => recorder.FramesFor(c.RoomId).Where(f => (string)f["type"]! == "read_receipt").ToList();

        foreach (var id in ids)
        {
            await (await MarkReadAsync(c.Participant, c.RoomId, id)).EnsureStatusAsync(200);
        }
        var first = Assert.Single(Receipts());
        Assert.Equal(ids[0], (int)first["last_read_message_id"]!);
        Assert.Equal(["type", "room_id", "user_id", "last_read_message_id", "read_at"], first.Select(p => p.Key).ToArray());

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Receipts().Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        var sent = Receipts();
        Assert.Equal(2, sent.Count);
        Assert.Equal(ids[^1], (int)sent[1]["last_read_message_id"]!);
        await Task.Delay(2500);
        Assert.Equal(2, Receipts().Count);
    }

    [Fact]
    public async Task ReadReceiptCoalescing_IsPerUserAndRoom_AnotherUserOrRoomIsNotHeldBack()
    {
        var c = await app.CastAsync();
        var other = await ChatKit.CreateRoomAsync(c.Creator, c.ProjectId, "Other", c.Participant.Id);
        var here = new[] { await c.Creator.SendIdAsync(c.RoomId, "one"), await c.Creator.SendIdAsync(c.RoomId, "two") };
        var there = await c.Creator.SendIdAsync(other, "elsewhere");
        using var recorder = app.RecordEvents();
        List<(int Room, int User, int Mark)> Receipts() =>
            [.. new[] { c.RoomId, other }.SelectMany(r => recorder.FramesFor(r)).Where(f => (string)f["type"]! == "read_receipt")
                .Select(f => ((int)f["room_id"]!, (int)f["user_id"]!, (int)f["last_read_message_id"]!))];

        // Within one window: the participant in two rooms and the admin in the first all go out at once.
        await (await MarkReadAsync(c.Participant, c.RoomId, here[0])).EnsureStatusAsync(200);
        await (await MarkReadAsync(c.Participant, other, there)).EnsureStatusAsync(200);
        await (await MarkReadAsync(c.Admin, c.RoomId, here[1])).EnsureStatusAsync(200);
        // ... while the participant's second mark in the first room waits for its window.
        await (await MarkReadAsync(c.Participant, c.RoomId, here[1])).EnsureStatusAsync(200);
        var first = Receipts();
        Assert.Equal(3, first.Count);
        Assert.Contains((c.RoomId, c.Participant.Id, here[0]), first);
        Assert.Contains((other, c.Participant.Id, there), first);
        Assert.Contains((c.RoomId, c.Admin.Id, here[1]), first);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Receipts().Count < 4 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.Contains((c.RoomId, c.Participant.Id, here[1]), Receipts());
        Assert.Equal(4, Receipts().Count);
    }
}
