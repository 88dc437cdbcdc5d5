using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Data;
using Switchboard.Features.Calls;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Realtime;

namespace Switchboard.Tests.Features.Calls;

/// <summary>
/// The server for call tests: the sweeper looks often, rings last long enough that only a test
/// that backdates a ring sees it run out, and TURN is configured with a shared secret.
/// </summary>
public class CallsApp(DatabaseProvider provider) : KestrelApp(provider, Settings)
{
    public const string TurnSecret = "calls-test-secret";

    public static readonly Dictionary<string, string?> Settings = new()
    {
        ["Calls:RingSeconds"] = "60",
        ["Calls:SweepSeconds"] = "0.2",
        ["Calls:StunUrls:0"] = "stun:stun.example.test:3478",
        ["Calls:TurnUrls:0"] = "turn:turn.example.test:3478?transport=udp",
        ["Calls:TurnUrls:1"] = "turn:turn.example.test:3478?transport=tcp",
        ["Calls:TurnSecret"] = TurnSecret,
        ["Calls:TurnTtlSeconds"] = "600",
    };
}

public sealed class SqliteCallsApp() : CallsApp(DatabaseProvider.Sqlite);

public sealed class PostgresCallsApp() : CallsApp(DatabaseProvider.Postgres);

/// <summary>People in one project: a group room of <see cref="Group"/> and a direct room of the first two.</summary>
public sealed record CallCast(IReadOnlyList<TestUser> Group, TestUser Outsider, int ProjectId, int GroupRoom, int DirectRoom)
{
    public TestUser Alice => Group[0];
    public TestUser Bob => Group[1];
    public TestUser Carol => Group[2];
}

public static class CallKit
{
    public static async Task<CallCast> CastAsync(SwitchboardApp app, int people = 3)
    {
        var users = new List<TestUser>();
        for (var i = 0; i < people; i++)
        {
            users.Add(await app.CreateUserAsync("caller"));
        }
        var outsider = await app.CreateUserAsync("outsider");
        var project = await app.CreateProjectAsync(users[0], users.Skip(1).Select(u => (u, "member")).ToArray());
        var group = await (await users[0].Client.PostAsJsonAsync("/api/chat/rooms/",
            new { name = "Standup", type = "group", project, participant_ids = users.Skip(1).Select(u => u.Id).ToArray() })).JsonAsync(201);
        var direct = await (await users[0].Client.PostAsJsonAsync("/api/chat/rooms/",
            new { type = "direct", project, participant_ids = new[] { users[1].Id } })).JsonAsync(201);
        return new CallCast(users, outsider, project, (int)group["id"]!, (int)direct["id"]!);
    }

    public static Task<HttpResponseMessage> StartCallAsync(this TestUser user, int roomId, string media = "video") =>
        user.Client.PostAsJsonAsync($"/api/chat/rooms/{roomId}/calls/", new { media });

    public static async Task<int> StartCallIdAsync(this TestUser user, int roomId, string media = "video") =>
        (int)(await (await user.StartCallAsync(roomId, media)).JsonAsync(201))["id"]!;

    public static Task<HttpResponseMessage> CallActionAsync(this TestUser user, int callId, string action) =>
        user.Client.PostAsync($"/api/chat/calls/{callId}/{action}/", null);

    public static string? StateOf(JsonObject call, int userId) =>
        (string?)call["participants"]!.AsArray().SingleOrDefault(p => (int)p!["user"]!["id"]! == userId)?["state"];

    /// <summary>Makes the call's ring run out now, as if its 60 seconds had passed.</summary>
    public static async Task ExpireRingAsync(SwitchboardApp app, int callId)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var past = DateTime.UtcNow.AddSeconds(-1);
        await db.Set<Call>().Where(c => c.Id == callId).ExecuteUpdateAsync(s => s.SetProperty(c => c.RingDeadline, past));
    }
}
