using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Data;
using Switchboard.Features.Chat.Messages;
using Switchboard.Tests.Features.Chat;

namespace Switchboard.Tests.Infrastructure;

public sealed class ConcurrentSendTestsOnSqlite(SqliteApp app) : ConcurrentSendTests(app), IClassFixture<SqliteApp>;

public sealed class ConcurrentSendTestsOnPostgres(PostgresApp app) : ConcurrentSendTests(app), IClassFixture<PostgresApp>;

/// <summary>Sends that arrive together are each saved, refused or deduplicated on their own.</summary>
public abstract class ConcurrentSendTests(SwitchboardApp app)
{
    [Fact]
    public async Task ConcurrentSends_AreEachStoredOnce_AndARepeatedClientIdGetsTheFirstMessage()
    {
        var c = await app.CastAsync();
        var sends = Enumerable.Range(0, 30)
            .Select(i => c.Participant.PostMessageAsync(c.RoomId, $"burst {i}", clientId: $"burst-{i}"))
            .Concat(Enumerable.Range(0, 3).Select(_ => c.Admin.PostMessageAsync(c.RoomId, "same", clientId: "same-id")))
            .ToList();
        var responses = await Task.WhenAll(sends);

        var ids = new List<int>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add((int)(await responses[i].JsonAsync(201))["id"]!);
        }
        Assert.Equal(30, ids.Distinct().Count());
        var repeated = new List<int>();
        foreach (var response in responses[30..])
        {
            Assert.Contains((int)response.StatusCode, new[] { 200, 201 });
            repeated.Add((int)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
        }
        Assert.Single(repeated.Distinct());
        Assert.Single(responses[30..], r => (int)r.StatusCode == 201);

        // Acknowledged means committed: a new reader sees every one of them.
        var page = await (await c.Participant.Client.GetAsync($"/api/chat/messages/?room={c.RoomId}&page_size=100")).JsonAsync(200);
        Assert.Equal(31, (int)page["count"]!);
        Assert.Equal(ids.Append(repeated[0]).Order().ToArray(),
            page["results"]!.AsArray().Select(m => (int)m!["id"]!).Order().ToArray());
    }
}
