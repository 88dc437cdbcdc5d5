using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Realtime;

namespace Switchboard.Tests.Features.Calls;

public sealed class CallsTestsOnSqlite(SqliteCallsApp app) : CallsTests(app), IClassFixture<SqliteCallsApp>;

public sealed class CallsTestsOnPostgres(PostgresCallsApp app) : CallsTests(app), IClassFixture<PostgresCallsApp>;

/// <summary>The call state machine through REST and the user socket.</summary>
public abstract class CallsTests(CallsApp app)
{
    [Fact]
    public async Task StartedCall_RingsTheRoom_AndAnsweringMakesItActive()
    {
        var c = await CallKit.CastAsync(app);
        var (bobSocket, _) = await UserSocketExtensions.OpenAsync(app, c.Bob.Access);
        var (aliceSocket, _) = await UserSocketExtensions.OpenAsync(app, c.Alice.Access);
        using var _b = bobSocket;
        using var _a = aliceSocket;

        var response = await c.Alice.StartCallAsync(c.DirectRoom, "audio");
        var call = await response.JsonAsync(201);
        var callId = (int)call["id"]!;
        Assert.Equal($"/api/chat/calls/{callId}/", response.Headers.Location?.OriginalString);
        Assert.Equal("ringing", (string?)call["state"]);
        Assert.Equal("audio", (string?)call["media"]);
        Assert.Equal(c.DirectRoom, (int?)call["room"]);
        Assert.Equal(c.Alice.Id, (int?)call["started_by"]!["id"]);
        Assert.Equal("joined", CallKit.StateOf(call, c.Alice.Id));
        Assert.Equal("ringing", CallKit.StateOf(call, c.Bob.Id));
        Assert.Null(call["ended_at"]);

        var ringing = await bobSocket.ReceiveWhereAsync("call_ringing", f => (int?)f["call"]!["id"] == callId);
        Assert.Equal(c.DirectRoom, (int?)ringing["room_id"]);

        var joined = await c.Bob.CallActionAsync(callId, "join").JsonAsyncTask(200);
        Assert.Equal("active", (string?)joined["state"]);
        Assert.NotNull(joined["answered_at"]);
        Assert.Equal("joined", CallKit.StateOf(joined, c.Bob.Id));
        var frame = await aliceSocket.ReceiveWhereAsync("call_joined", f => (int?)f["call"]!["id"] == callId);
        Assert.Equal(c.Bob.Id, (int?)frame["user_id"]);
        Assert.Equal("active", (string?)frame["call"]!["state"]);

        // Joining again (another tab) changes nothing.
        var again = await c.Bob.CallActionAsync(callId, "join").JsonAsyncTask(200);
        Assert.Equal(2, again["participants"]!.AsArray().Count(p => (string?)p!["state"] == "joined"));
        var read = await (await c.Bob.Client.GetAsync($"/api/chat/calls/{callId}/")).JsonAsync(200);
        Assert.Equal("active", (string?)read["state"]);
    }

    [Fact]
    public async Task OneOpenCallPerRoom_EvenWhenStartedAtTheSameMoment()
    {
        var c = await CallKit.CastAsync(app);
        var starts = await Task.WhenAll(c.Group.SelectMany(u => new[] { u.StartCallAsync(c.GroupRoom), u.StartCallAsync(c.GroupRoom) }));
        Assert.Single(starts, r => (int)r.StatusCode == 201);
        Assert.All(starts.Where(r => (int)r.StatusCode != 201), r => Assert.Equal(409, (int)r.StatusCode));
        var problem = await (await c.Bob.StartCallAsync(c.GroupRoom)).ProblemAsync(409);
        Assert.Contains("already has a call", (string?)problem["detail"]);
        var started = await starts.Single(r => (int)r.StatusCode == 201).JsonAsync(201);
        Assert.Equal((int)started["id"]!, (int?)problem["call_id"]);

        // Another room is free to call.
        await (await c.Alice.StartCallAsync(c.DirectRoom)).JsonAsync(201);
    }

    [Fact]
    public async Task AFifthParticipant_Gets409_AlsoWhenJoiningAtTheSameMoment()
    {
        var c = await CallKit.CastAsync(app, people: 6);
        var callId = await c.Alice.StartCallIdAsync(c.GroupRoom);
        var joins = await Task.WhenAll(c.Group.Skip(1).Select(u => u.CallActionAsync(callId, "join")));
        Assert.Equal(3, joins.Count(r => (int)r.StatusCode == 200));
        Assert.Equal(2, joins.Count(r => (int)r.StatusCode == 409));
        var late = c.Group.Skip(1).Where((u, i) => (int)joins[i].StatusCode == 409).First();
        var problem = await (await late.CallActionAsync(callId, "join")).ProblemAsync(409);
        Assert.Contains("full", (string?)problem["detail"]);

        // Someone leaves: there is room again.
        var inCall = c.Group.Skip(1).Where((u, i) => (int)joins[i].StatusCode == 200).First();
        await inCall.CallActionAsync(callId, "leave").JsonAsyncTask(200);
        var joined = await late.CallActionAsync(callId, "join").JsonAsyncTask(200);
        Assert.Equal(4, joined["participants"]!.AsArray().Count(p => (string?)p!["state"] == "joined"));
    }

    [Fact]
    public async Task TheLastOneOut_EndsTheCall_AndASystemMessageRecordsItsDuration()
    {
        var c = await CallKit.CastAsync(app);
        var (carolSocket, _) = await UserSocketExtensions.OpenAsync(app, c.Carol.Access);
        using var _c = carolSocket;
        var callId = await c.Alice.StartCallIdAsync(c.GroupRoom);
        await c.Bob.CallActionAsync(callId, "join").JsonAsyncTask(200);
        await Task.Delay(1100);

        var afterAlice = await c.Alice.CallActionAsync(callId, "leave").JsonAsyncTask(200);
        Assert.Equal("active", (string?)afterAlice["state"]);
        Assert.Equal("left", CallKit.StateOf(afterAlice, c.Alice.Id));
        var left = await carolSocket.ReceiveWhereAsync("call_left", f => (int?)f["call"]!["id"] == callId);
        Assert.Equal(c.Alice.Id, (int?)left["user_id"]);

        var ended = await c.Bob.CallActionAsync(callId, "leave").JsonAsyncTask(200);
        Assert.Equal("ended", (string?)ended["state"]);
        Assert.NotNull(ended["ended_at"]);
        Assert.True((long)ended["duration_ms"]! >= 1000);
        // Carol never answered a group call that ended: she missed it.
        Assert.Equal("missed", CallKit.StateOf(ended, c.Carol.Id));
        var endedFrame = await carolSocket.ReceiveWhereAsync("call_ended", f => (int?)f["call"]!["id"] == callId);
        Assert.Equal(c.GroupRoom, (int?)endedFrame["room_id"]);

        var messages = await (await c.Carol.Client.GetAsync($"/api/chat/messages/?room={c.GroupRoom}")).JsonAsync(200);
        var system = messages["results"]!.AsArray().Single(m => (string?)m!["type"] == "system")!;
        Assert.Matches(@"^Video call ended \(0:0[1-9]\)$", (string?)system["content"]);
        Assert.Equal("call_ended", (string?)system["event"]!["kind"]);
        Assert.Equal(callId, (int?)system["event"]!["call_id"]);
        Assert.Equal((long)ended["duration_ms"]!, (long?)system["event"]!["duration_ms"]);
        Assert.Equal(false, (bool?)system["event"]!["missed"]);

        // An ended call takes nobody in; the room may call again.
        await (await c.Carol.CallActionAsync(callId, "join")).ProblemAsync(409);
        await (await c.Carol.CallActionAsync(callId, "decline")).ProblemAsync(409);
        await (await c.Carol.StartCallAsync(c.GroupRoom)).JsonAsync(201);
        // Hanging up twice is harmless.
        Assert.Equal("ended", (string?)(await c.Bob.CallActionAsync(callId, "leave").JsonAsyncTask(200))["state"]);
    }

    [Fact]
    public async Task Decline_EndsADirectCall_ButNotAGroupCall()
    {
        var c = await CallKit.CastAsync(app);
        var (aliceSocket, _) = await UserSocketExtensions.OpenAsync(app, c.Alice.Access);
        using var _a = aliceSocket;

        var direct = await c.Alice.StartCallIdAsync(c.DirectRoom);
        var declined = await c.Bob.CallActionAsync(direct, "decline").JsonAsyncTask(200);
        Assert.Equal("ended", (string?)declined["state"]);
        Assert.Equal("declined", CallKit.StateOf(declined, c.Bob.Id));
        Assert.Equal("left", CallKit.StateOf(declined, c.Alice.Id));
        var frame = await aliceSocket.ReceiveWhereAsync("call_declined", f => (int?)f["call"]!["id"] == direct);
        Assert.Equal(c.Bob.Id, (int?)frame["user_id"]);
        await aliceSocket.ReceiveWhereAsync("call_ended", f => (int?)f["call"]!["id"] == direct);
        // A decline is an answer, not a missed call.
        var notifications = await (await c.Bob.Client.GetAsync("/api/notifications/")).JsonAsync(200);
        Assert.DoesNotContain(notifications["results"]!.AsArray(), n => (string?)n!["type"] == "call_missed");

        var group = await c.Alice.StartCallIdAsync(c.GroupRoom);
        var stillRinging = await c.Bob.CallActionAsync(group, "decline").JsonAsyncTask(200);
        Assert.Equal("ringing", (string?)stillRinging["state"]);
        Assert.Equal("ringing", CallKit.StateOf(stillRinging, c.Carol.Id));
        // Declining twice, or as the caller, is a conflict.
        await (await c.Bob.CallActionAsync(group, "decline")).ProblemAsync(409);
        await (await c.Alice.CallActionAsync(group, "decline")).ProblemAsync(409);
        Assert.Equal("active", (string?)(await c.Carol.CallActionAsync(group, "join").JsonAsyncTask(200))["state"]);
    }

    [Fact]
    public async Task AnUnansweredCall_EndsWhenItsRingRunsOut_WithCallMissedNotifications()
    {
        var c = await CallKit.CastAsync(app);
        var (bobSocket, _) = await UserSocketExtensions.OpenAsync(app, c.Bob.Access);
        using var _b = bobSocket;
        var callId = await c.Alice.StartCallIdAsync(c.GroupRoom, "audio");
        await c.Carol.CallActionAsync(callId, "decline").JsonAsyncTask(200);

        await CallKit.ExpireRingAsync(app, callId);
        var seen = new List<JsonObject>();
        var ended = await bobSocket.ReceiveWhereAsync("call_ended", f => (int?)f["call"]!["id"] == callId, seen);
        Assert.Equal("ended", (string?)ended["call"]!["state"]);
        Assert.Equal("missed", CallKit.StateOf(ended["call"]!.AsObject(), c.Bob.Id));
        Assert.Equal("declined", CallKit.StateOf(ended["call"]!.AsObject(), c.Carol.Id));
        // The notification goes out as the call ends (just before call_ended).
        var pushed = seen.SingleOrDefault(f => (string?)f["type"] == "notification_created" && (string?)f["notification"]!["type"] == "call_missed")
            ?? await bobSocket.ReceiveWhereAsync("notification_created", f => (string?)f["notification"]!["type"] == "call_missed");
        Assert.Equal(c.Alice.Id, (int?)pushed["notification"]!["actor"]!["id"]);
        Assert.True((long)pushed["notification"]!["id"]! > 0);
        Assert.Equal(c.GroupRoom, (int?)pushed["notification"]!["room"]);

        var bobs = await (await c.Bob.Client.GetAsync("/api/notifications/")).JsonAsync(200);
        Assert.Single(bobs["results"]!.AsArray(), n => (string?)n!["type"] == "call_missed");
        foreach (var user in new[] { c.Alice, c.Carol })
        {
            var theirs = await (await user.Client.GetAsync("/api/notifications/")).JsonAsync(200);
            Assert.DoesNotContain(theirs["results"]!.AsArray(), n => (string?)n!["type"] == "call_missed");
        }
        var messages = await (await c.Bob.Client.GetAsync($"/api/chat/messages/?room={c.GroupRoom}")).JsonAsync(200);
        var system = messages["results"]!.AsArray().Single(m => (string?)m!["type"] == "system")!;
        Assert.Equal("Missed audio call", (string?)system["content"]);
        Assert.Equal(true, (bool?)system["event"]!["missed"]);
        Assert.Equal(0, (long?)system["event"]!["duration_ms"]);
        await (await c.Bob.CallActionAsync(callId, "join")).ProblemAsync(409);
    }

    [Fact]
    public async Task Outsiders_Get404_AndBadInput_Gets400()
    {
        var c = await CallKit.CastAsync(app);
        var callId = await c.Alice.StartCallIdAsync(c.DirectRoom);
        await (await c.Outsider.StartCallAsync(c.GroupRoom)).ProblemAsync(404);
        await (await c.Carol.StartCallAsync(c.DirectRoom)).ProblemAsync(404);
        await (await c.Carol.Client.GetAsync($"/api/chat/calls/{callId}/")).ProblemAsync(404);
        foreach (var action in new[] { "join", "leave", "decline" })
        {
            await (await c.Outsider.CallActionAsync(callId, action)).ProblemAsync(404);
        }
        await (await c.Alice.Client.GetAsync("/api/chat/calls/999999999/")).ProblemAsync(404);

        await (await c.Alice.Client.PostAsJsonAsync($"/api/chat/rooms/{c.GroupRoom}/calls/", new { media = "hologram" })).AssertFieldErrorAsync("media");
        await (await c.Alice.Client.PostAsJsonAsync($"/api/chat/rooms/{c.GroupRoom}/calls/", new { })).AssertFieldErrorAsync("media");
        Assert.Equal(400, (int)(await c.Alice.Client.PostRawAsync($"/api/chat/rooms/{c.GroupRoom}/calls/", """{"media": 5}""")).StatusCode);
        Assert.Equal(400, (int)(await c.Alice.Client.PostRawAsync($"/api/chat/rooms/{c.GroupRoom}/calls/", "{nope")).StatusCode);
        await (await c.Alice.Client.GetAsync($"/api/chat/calls/{callId}/")).JsonAsync(200);
    }

    [Fact]
    public async Task IceServers_CarryCoturnSharedSecretCredentials()
    {
        var c = await CallKit.CastAsync(app, people: 2);
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var answer = await (await c.Bob.Client.GetAsync("/api/calls/ice_servers/")).JsonAsync(200);
        Assert.Equal(600, (int?)answer["ttl_seconds"]);
        Assert.Equal("all", (string?)answer["ice_transport_policy"]);
        var servers = answer["ice_servers"]!.AsArray();
        var stun = servers.Single(s => ((string?)s!["urls"]![0])!.StartsWith("stun:", StringComparison.Ordinal))!.AsObject();
        Assert.False(stun.ContainsKey("username"));
        var turn = servers.Single(s => ((string?)s!["urls"]![0])!.StartsWith("turn:", StringComparison.Ordinal))!;
        Assert.Equal(2, turn["urls"]!.AsArray().Count);

        var username = (string)turn["username"]!;
        var parts = username.Split(':');
        Assert.Equal(c.Bob.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), parts[1]);
        var expiry = long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiry, before + 600, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600);
#pragma warning disable CA5350 // coturn's format
        var expected = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(CallsApp.TurnSecret), Encoding.UTF8.GetBytes(username)));
#pragma warning restore CA5350
        Assert.Equal(expected, (string?)turn["credential"]);

        Assert.Equal(401, (int)(await app.CreateClient().GetAsync("/api/calls/ice_servers/")).StatusCode);
    }
}

internal static class CallResponses
{
    public static async Task<JsonObject> JsonAsyncTask(this Task<HttpResponseMessage> response, int expected) =>
        await (await response).JsonAsync(expected);
}
