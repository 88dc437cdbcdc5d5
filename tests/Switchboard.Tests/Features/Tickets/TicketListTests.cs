using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Features.Tickets;

public sealed class TicketListTestsOnSqlite(SqliteTicketsApp app) : TicketListTests(app), IClassFixture<SqliteTicketsApp>;

public sealed class TicketListTestsOnPostgres(PostgresTicketsApp app) : TicketListTests(app), IClassFixture<PostgresTicketsApp>;

public abstract class TicketListTests(TicketsApp app)
{
    /// <summary>Five tickets with distinct values in every filterable field.</summary>
    private async Task<Cast> SeedAsync()
    {
        var cast = await app.CastAsync();
        var p = cast.ProjectId;
        await cast.Member.CreateTicketAsync(p, "Alpha", new JsonObject { ["priority"] = "low", ["type"] = "bug", ["assignee_id"] = cast.Member.Id, ["labels"] = new JsonArray("Backend"), ["due_date"] = "2030-03-01" });
        await cast.Member.CreateTicketAsync(p, "Bravo", new JsonObject { ["priority"] = "urgent", ["type"] = "feature", ["status"] = "in_progress", ["assignee_id"] = cast.Admin.Id });
        await cast.Admin.CreateTicketAsync(p, "Charlie", new JsonObject { ["priority"] = "high", ["type"] = "question", ["status"] = "resolved", ["labels"] = new JsonArray("backend", "UI"), ["due_date"] = "2030-01-01" });
        await cast.Admin.CreateTicketAsync(p, "Delta", new JsonObject { ["priority"] = "medium", ["status"] = "closed", ["assignee_id"] = cast.Member.Id, ["due_date"] = "2030-02-01" });
        await cast.Owner.CreateTicketAsync(p, "Echo", new JsonObject { ["priority"] = "high" });
        return cast;
    }

    [Theory]
    [InlineData("", "Echo,Delta,Charlie,Bravo,Alpha")]
    [InlineData("status=open", "Echo,Alpha")]
    [InlineData("status=open&status=closed", "Echo,Delta,Alpha")]
    [InlineData("status=open,in_progress", "Echo,Bravo,Alpha")]
    [InlineData("priority=high", "Echo,Charlie")]
    [InlineData("priority=low,urgent", "Bravo,Alpha")]
    [InlineData("type=bug", "Alpha")]
    [InlineData("type=task", "Echo,Delta")]
    [InlineData("assignee=none", "Echo,Charlie")]
    [InlineData("assignee=me", "Delta,Alpha")]
    [InlineData("reporter=me", "Bravo,Alpha")]
    [InlineData("label=BACKEND", "Charlie,Alpha")]
    [InlineData("label=ui", "Charlie")]
    [InlineData("label=nope", "")]
    [InlineData("status=open&assignee=me&ordering=priority", "Alpha")]
    [InlineData("ordering=created_at", "Alpha,Bravo,Charlie,Delta,Echo")]
    [InlineData("ordering=number", "Alpha,Bravo,Charlie,Delta,Echo")]
    [InlineData("ordering=-number", "Echo,Delta,Charlie,Bravo,Alpha")]
    [InlineData("ordering=priority", "Alpha,Delta,Charlie,Echo,Bravo")]
    [InlineData("ordering=-priority", "Bravo,Echo,Charlie,Delta,Alpha")]
    [InlineData("ordering=due_date", "Charlie,Delta,Alpha,Bravo,Echo")]
    [InlineData("ordering=-due_date", "Alpha,Delta,Charlie,Echo,Bravo")]
    [InlineData("ordering=-priority,number", "Bravo,Charlie,Echo,Delta,Alpha")]
    [InlineData("ordering=updated_at&status=resolved,closed", "Charlie,Delta")]
    [InlineData("status=&priority=&search=", "Echo,Delta,Charlie,Bravo,Alpha")]
    public async Task List_FiltersAndOrders(string query, string expected)
    {
        var cast = await SeedAsync();
        var titles = (await cast.Member.ListAsync($"project={cast.ProjectId}&{query}")).Titles();
        Assert.Equal(expected, string.Join(",", titles));
    }

    [Fact]
    public async Task List_FilterByAssigneeIdAndReporterId()
    {
        var cast = await SeedAsync();
        Assert.Equal(["Bravo"], (await cast.Owner.ListAsync($"assignee={cast.Admin.Id}")).Titles());
        Assert.Equal(["Echo"], (await cast.Member.ListAsync($"reporter={cast.Owner.Id}")).Titles());
        Assert.Empty(await cast.Member.ListAsync($"assignee={cast.Outsider.Id}"));
    }

    [Theory]
    [InlineData("status=bogus", "status")]
    [InlineData("status=open,bogus", "status")]
    [InlineData("priority=critical", "priority")]
    [InlineData("type=epic", "type")]
    [InlineData("assignee=abc", "assignee")]
    [InlineData("assignee=-1", "assignee")]
    [InlineData("assignee=99999999999", "assignee")]
    [InlineData("reporter=none", "reporter")]
    [InlineData("project=abc", "project")]
    [InlineData("ordering=evil", "ordering")]
    [InlineData("ordering=title", "ordering")]
    [InlineData("ordering=--number", "ordering")]
    [InlineData("ordering=number;DROP TABLE tickets", "ordering")]
    public async Task List_InvalidParameter_Returns400NamingIt(string query, string parameter)
    {
        var user = await app.CreateUserAsync("picky");
        await (await user.Client.GetAsync("/api/tickets/?" + query)).AssertFieldErrorAsync(parameter);
    }

    [Fact]
    public async Task List_OnlyShowsTheCallersProjects()
    {
        var cast = await SeedAsync();
        var other = await app.CastAsync();
        await other.Member.CreateTicketAsync(other.ProjectId, "Secret");
        Assert.DoesNotContain("Secret", (await cast.Member.ListAsync("")).Titles());
        Assert.Empty(await cast.Member.ListAsync($"project={other.ProjectId}"));
        Assert.Empty(await cast.Outsider.ListAsync($"project={cast.ProjectId}"));
        Assert.Equal(["Secret"], (await other.Member.ListAsync("")).Titles());
    }

    [Fact]
    public async Task List_PaginatesWithStableOrder()
    {
        var cast = await app.CastAsync();
        for (var i = 0; i < 7; i++)
        {
            await cast.Member.CreateTicketAsync(cast.ProjectId, $"T{i}", new JsonObject { ["priority"] = "high" });
        }
        var seen = new List<string>();
        string? next = $"/api/tickets/?project={cast.ProjectId}&ordering=priority&page_size=3";
        var pages = 0;
        while (next is not null)
        {
            var page = await (await cast.Member.Client.GetAsync(next)).JsonAsync(200);
            Assert.Equal(7, (int)page["count"]!);
            seen.AddRange(page["results"]!.AsArray().Select(t => (string)t!["title"]!));
            next = (string?)page["next"];
            if (next is not null)
            {
                Assert.StartsWith("http", next, StringComparison.Ordinal);
                Assert.Contains("ordering=priority", next, StringComparison.Ordinal);
            }
            pages++;
        }
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"T{i}"), seen);
        await (await cast.Member.Client.GetAsync($"/api/tickets/?project={cast.ProjectId}&page=4&page_size=3")).ProblemAsync(404);
        await (await cast.Member.Client.GetAsync($"/api/tickets/?project={cast.ProjectId}&page=abc")).ProblemAsync(404);
        var big = await (await cast.Member.Client.GetAsync($"/api/tickets/?project={cast.ProjectId}&page_size=100000")).JsonAsync(200);
        Assert.Equal(7, big["results"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("database", "Database connection timeout,Slow database")]
    [InlineData("DATAB", "Database connection timeout,Slow database")]
    [InlineData("conn time", "Database connection timeout")]
    [InlineData("quick fox", "Printer on fire")]
    [InlineData("printer database", "")]
    [InlineData("zebra", "")]
    [InlineData("atabase", "")]
    [InlineData("équipe", "Café crème")]
    [InlineData("'; DROP TABLE tickets; --", "")]
    [InlineData("a:* | b & !c (", "")]
    [InlineData("\"unbalanced", "")]
    public async Task Search_MatchesWordsAndPrefixesInTitleAndDescription(string search, string expected)
    {
        var cast = await app.CastAsync();
        await cast.Member.CreateTicketAsync(cast.ProjectId, "Database connection timeout");
        await cast.Member.CreateTicketAsync(cast.ProjectId, "Printer on fire", new JsonObject { ["description"] = "The quick brown fox jumps." });
        await cast.Member.CreateTicketAsync(cast.ProjectId, "Slow database", new JsonObject { ["description"] = "Queries take ages" });
        await cast.Member.CreateTicketAsync(cast.ProjectId, "Café crème", new JsonObject { ["description"] = "Pour l'équipe" });
        var titles = (await cast.Member.ListAsync($"project={cast.ProjectId}&ordering=number&search={Uri.EscapeDataString(search)}")).Titles();
        Assert.Equal(expected, string.Join(",", titles));
    }

    [Fact]
    public async Task Search_ByKey_AnyCase_AndFollowsEdits()
    {
        var cast = await app.CastAsync();
        await cast.Member.CreateTicketAsync(cast.ProjectId, "One");
        var two = await cast.Member.CreateTicketAsync(cast.ProjectId, "Two");
        Assert.Equal(["Two"], (await cast.Member.ListAsync($"search={cast.Key}-2")).Titles());
        Assert.Equal(["Two"], (await cast.Member.ListAsync($"search={cast.Key.ToLowerInvariant()}-2")).Titles());
        Assert.Empty(await cast.Member.ListAsync($"search={cast.Key}-3"));
        Assert.Empty(await cast.Outsider.ListAsync($"search={cast.Key}-2"));

        await cast.Member.PatchTicketAsync((int)two["id"]!, new JsonObject { ["title"] = "Renamed kangaroo" });
        Assert.Equal(["Renamed kangaroo"], (await cast.Member.ListAsync("search=kang")).Titles());
        Assert.Empty(await cast.Member.ListAsync("search=two"));
        await (await cast.Admin.Client.DeleteAsync($"/api/tickets/{two["id"]}/")).EnsureStatusAsync(204);
        Assert.Empty(await cast.Member.ListAsync("search=kangaroo"));
    }

    [Fact]
    public async Task Search_CombinesWithFilters()
    {
        var cast = await app.CastAsync();
        await cast.Member.CreateTicketAsync(cast.ProjectId, "Login broken", new JsonObject { ["status"] = "resolved" });
        await cast.Member.CreateTicketAsync(cast.ProjectId, "Login slow");
        Assert.Equal(["Login slow"], (await cast.Member.ListAsync("search=login&status=open")).Titles());
    }

    [Fact]
    public async Task List_SqlCommandCount_DoesNotGrowWithPageSize()
    {
        var cast = await app.CastAsync();
        for (var i = 0; i < 12; i++)
        {
            await cast.Member.CreateTicketAsync(cast.ProjectId, $"N+1 {i}", new JsonObject
            {
                ["assignee_id"] = i % 2 == 0 ? cast.Admin.Id : cast.Member.Id,
                ["labels"] = new JsonArray($"l{i}", "common"),
            });
        }
        Task<int> CommandsFor(string query) => app.Commands.FewestForAsync(async () =>
        {
            var page = await (await cast.Member.Client.GetAsync("/api/tickets/?" + query)).JsonAsync(200);
            Assert.NotEmpty(page["results"]!.AsArray());
        });
        var one = await CommandsFor($"project={cast.ProjectId}&page_size=1");
        var all = await CommandsFor($"project={cast.ProjectId}&page_size=200");
        var filtered = await CommandsFor($"project={cast.ProjectId}&page_size=200&label=common&status=open&ordering=-priority&search=N");
        Assert.Equal(one, all);
        Assert.Equal(one, filtered);
        Assert.InRange(all, 1, 3);
    }
}
