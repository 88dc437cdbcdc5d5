using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Features.Projects;

public sealed class ProjectsTestsOnSqlite(SqliteApp app) : ProjectsTests(app), IClassFixture<SqliteApp>;

public sealed class ProjectsTestsOnPostgres(PostgresApp app) : ProjectsTests(app), IClassFixture<PostgresApp>;

public abstract partial class ProjectsTests(SwitchboardApp app)
{
    private sealed record Cast(TestUser Owner, TestUser Admin, TestUser Member, TestUser Viewer, TestUser Outsider, int ProjectId);

    private async Task<Cast> CastAsync()
    {
        var owner = await app.CreateUserAsync("owner");
        var admin = await app.CreateUserAsync("admin");
        var member = await app.CreateUserAsync("member");
        var viewer = await app.CreateUserAsync("viewer");
        var outsider = await app.CreateUserAsync("outsider");
        var id = await app.CreateProjectAsync(owner, (admin, "admin"), (member, "member"), (viewer, "viewer"));
        return new Cast(owner, admin, member, viewer, outsider, id);
    }

    private TestUser As(Cast c, string role) => role switch
    {
        "owner" => c.Owner,
        "admin" => c.Admin,
        "member" => c.Member,
        "viewer" => c.Viewer,
        _ => c.Outsider,
    };

    [Fact]
    public async Task Create_ReturnsTheProjectWithTheCreatorAsOwner()
    {
        var owner = await app.CreateUserAsync("creator");
        var key = "K" + app.Unique("").Replace("_", "")[..6].ToUpperInvariant();
        key = TrimKey(key);
        var response = await owner.Client.PostAsJsonAsync("/api/projects/", new { key, name = "Support", description = "Help desk" });
        var project = await response.JsonAsync(201);
        Assert.Equal(
            ["id", "key", "name", "description", "created_by", "my_role", "member_count", "created_at", "updated_at"],
            project.Select(p => p.Key).ToArray());
        Assert.Equal(key, (string)project["key"]!);
        Assert.Equal("owner", (string)project["my_role"]!);
        Assert.Equal(1, (int)project["member_count"]!);
        Assert.Equal(owner.Id, (int)project["created_by"]!["id"]!);
        Assert.Matches(UtcTimestamp(), (string)project["created_at"]!);
        Assert.Matches(UtcTimestamp(), (string)project["updated_at"]!);
    }

    [Theory]
    [InlineData("A")]
    [InlineData("ABCDEFGHIJK")]
    [InlineData("sup")]
    [InlineData("1AB")]
    [InlineData("A-B")]
    public async Task Create_InvalidKey_Returns400NamingKey(string key)
    {
        var owner = await app.CreateUserAsync("keys");
        await (await owner.Client.PostAsJsonAsync("/api/projects/", new { key, name = "x" })).AssertFieldErrorAsync("key");
    }

    [Fact]
    public async Task Create_MissingName_Returns400NamingName()
    {
        var owner = await app.CreateUserAsync("noname");
        await (await owner.Client.PostAsJsonAsync("/api/projects/", new { key = "NONAME" })).AssertFieldErrorAsync("name");
    }

    [Fact]
    public async Task Create_DuplicateKey_Returns409()
    {
        var owner = await app.CreateUserAsync("dupkey");
        var key = TrimKey("D" + Guid.NewGuid().ToString("N").ToUpperInvariant());
        await (await owner.Client.PostAsJsonAsync("/api/projects/", new { key, name = "one" })).EnsureStatusAsync(201);
        await (await owner.Client.PostAsJsonAsync("/api/projects/", new { key, name = "two" })).ProblemAsync(409);
    }

    [Fact]
    public async Task List_ShowsOnlyTheCallersProjects_WithAbsolutePageLinks()
    {
        var alice = await app.CreateUserAsync("alice");
        var bob = await app.CreateUserAsync("bob");
        var mine = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            mine.Add(await app.CreateProjectAsync(alice));
        }
        var theirs = await app.CreateProjectAsync(bob);

        var page1 = await (await alice.Client.GetAsync("/api/projects/?page_size=2")).JsonAsync(200);
        Assert.Equal(3, (int)page1["count"]!);
        Assert.Equal(2, page1["results"]!.AsArray().Count);
        Assert.Null(page1["previous"]);
        var next = (string)page1["next"]!;
        Assert.StartsWith("http://localhost/api/projects/?", next);

        var page2 = await (await alice.Client.GetAsync(next)).JsonAsync(200);
        Assert.Single(page2["results"]!.AsArray());
        Assert.Null(page2["next"]);
        Assert.NotNull(page2["previous"]);
        var seen = page1["results"]!.AsArray().Concat(page2["results"]!.AsArray()).Select(p => (int)p!["id"]!).ToList();
        Assert.Equal(mine.Order(), seen.Order());
        Assert.DoesNotContain(theirs, seen);
    }

    [Fact]
    public async Task List_PageOutOfRange_Returns404_AndPageSizeIsCappedAt200()
    {
        var user = await app.CreateUserAsync("pager");
        await app.CreateProjectAsync(user);
        await (await user.Client.GetAsync("/api/projects/?page=5")).ProblemAsync(404);
        await (await user.Client.GetAsync("/api/projects/?page=-1")).ProblemAsync(404);
        await (await user.Client.GetAsync("/api/projects/?page=abc")).ProblemAsync(404);
        var capped = await (await user.Client.GetAsync("/api/projects/?page_size=100000")).JsonAsync(200);
        Assert.Equal(1, (int)capped["count"]!);
    }

    [Theory]
    [InlineData("owner", 200)]
    [InlineData("admin", 200)]
    [InlineData("member", 200)]
    [InlineData("viewer", 200)]
    [InlineData("outsider", 404)]
    public async Task Get_ByRole(string role, int expected)
    {
        var cast = await CastAsync();
        var response = await As(cast, role).Client.GetAsync($"/api/projects/{cast.ProjectId}/");
        await response.EnsureStatusAsync(expected);
        if (expected == 200)
        {
            Assert.Equal(role, (string)(await response.JsonAsync(200))["my_role"]!);
        }
    }

    [Fact]
    public async Task Get_Anonymous_Returns401_AndUnknownId_Returns404()
    {
        var cast = await CastAsync();
        await (await app.CreateClient().GetAsync($"/api/projects/{cast.ProjectId}/")).EnsureStatusAsync(401);
        await (await cast.Owner.Client.GetAsync("/api/projects/999999/")).ProblemAsync(404);
    }

    [Theory]
    [InlineData("owner", 200)]
    [InlineData("admin", 200)]
    [InlineData("member", 403)]
    [InlineData("viewer", 403)]
    [InlineData("outsider", 404)]
    public async Task Patch_ByRole(string role, int expected)
    {
        var cast = await CastAsync();
        var response = await As(cast, role).Client.PatchAsJsonAsync($"/api/projects/{cast.ProjectId}/", new { name = "Renamed", description = "new" });
        await response.EnsureStatusAsync(expected);
        var project = await (await cast.Owner.Client.GetAsync($"/api/projects/{cast.ProjectId}/")).JsonAsync(200);
        Assert.Equal(expected == 200 ? "Renamed" : "Project " + project["key"], (string)project["name"]!);
    }

    [Fact]
    public async Task Patch_BlankName_Returns400_AndReadOnlyFieldsAreIgnored()
    {
        var cast = await CastAsync();
        await (await cast.Owner.Client.PatchAsJsonAsync($"/api/projects/{cast.ProjectId}/", new { name = "  " })).AssertFieldErrorAsync("name");
        var project = await (await cast.Owner.Client.PatchAsJsonAsync($"/api/projects/{cast.ProjectId}/",
            new { id = 1, my_role = "viewer", member_count = 99, created_at = "2000-01-01T00:00:00Z" })).JsonAsync(200);
        Assert.Equal(cast.ProjectId, (int)project["id"]!);
        Assert.Equal("owner", (string)project["my_role"]!);
        Assert.Equal(4, (int)project["member_count"]!);
        Assert.DoesNotContain("2000", (string)project["created_at"]!);
    }

    [Theory]
    [InlineData("owner", 204)]
    [InlineData("admin", 403)]
    [InlineData("member", 403)]
    [InlineData("viewer", 403)]
    [InlineData("outsider", 404)]
    public async Task Delete_ByRole(string role, int expected)
    {
        var cast = await CastAsync();
        await (await As(cast, role).Client.DeleteAsync($"/api/projects/{cast.ProjectId}/")).EnsureStatusAsync(expected);
        var after = await cast.Owner.Client.GetAsync($"/api/projects/{cast.ProjectId}/");
        await after.EnsureStatusAsync(expected == 204 ? 404 : 200);
    }

    [Theory]
    [InlineData("owner", 200)]
    [InlineData("admin", 200)]
    [InlineData("member", 200)]
    [InlineData("viewer", 200)]
    [InlineData("outsider", 404)]
    public async Task Members_ListByRole(string role, int expected)
    {
        var cast = await CastAsync();
        var response = await As(cast, role).Client.GetAsync($"/api/projects/{cast.ProjectId}/members/");
        await response.EnsureStatusAsync(expected);
        if (expected == 200)
        {
            var page = await response.JsonAsync(200);
            Assert.Equal(4, (int)page["count"]!);
            var first = page["results"]![0]!.AsObject();
            Assert.Equal(["user", "role", "joined_at"], first.Select(p => p.Key).ToArray());
            Assert.Equal("owner", (string)first["role"]!);
        }
    }

    [Theory]
    [InlineData("owner", 201)]
    [InlineData("admin", 201)]
    [InlineData("member", 403)]
    [InlineData("viewer", 403)]
    [InlineData("outsider", 404)]
    public async Task Members_AddByRole(string role, int expected)
    {
        var cast = await CastAsync();
        var newcomer = await app.CreateUserAsync("newcomer");
        var response = await As(cast, role).Client.PostAsJsonAsync($"/api/projects/{cast.ProjectId}/members/", new { user_id = newcomer.Id, role = "member" });
        await response.EnsureStatusAsync(expected);
        await (await newcomer.Client.GetAsync($"/api/projects/{cast.ProjectId}/")).EnsureStatusAsync(expected == 201 ? 200 : 404);
    }

    [Fact]
    public async Task Members_AddValidation()
    {
        var cast = await CastAsync();
        var url = $"/api/projects/{cast.ProjectId}/members/";
        var newcomer = await app.CreateUserAsync("n");
        await (await cast.Owner.Client.PostAsJsonAsync(url, new { role = "member" })).AssertFieldErrorAsync("user_id");
        await (await cast.Owner.Client.PostAsJsonAsync(url, new { user_id = 987654321, role = "member" })).AssertFieldErrorAsync("user_id");
        await (await cast.Owner.Client.PostAsJsonAsync(url, new { user_id = newcomer.Id, role = "superuser" })).AssertFieldErrorAsync("role");
        await (await cast.Owner.Client.PostAsJsonAsync(url, new { user_id = cast.Member.Id, role = "member" })).ProblemAsync(409);
        await (await cast.Admin.Client.PostAsJsonAsync(url, new { user_id = newcomer.Id, role = "owner" })).ProblemAsync(403);
        var added = await (await cast.Owner.Client.PostAsJsonAsync(url, new { user_id = newcomer.Id })).JsonAsync(201);
        Assert.Equal("member", (string)added["role"]!);
    }

    [Theory]
    [InlineData("owner", 200)]
    [InlineData("admin", 200)]
    [InlineData("member", 403)]
    [InlineData("viewer", 403)]
    [InlineData("outsider", 404)]
    public async Task Members_ChangeRoleByRole(string role, int expected)
    {
        var cast = await CastAsync();
        var target = role == "member" ? cast.Viewer : cast.Member;
        var response = await As(cast, role).Client.PatchAsJsonAsync($"/api/projects/{cast.ProjectId}/members/{target.Id}/", new { role = "admin" });
        await response.EnsureStatusAsync(expected);
        var project = await (await target.Client.GetAsync($"/api/projects/{cast.ProjectId}/")).JsonAsync(200);
        Assert.Equal(expected == 200 ? "admin" : role == "member" ? "viewer" : "member", (string)project["my_role"]!);
    }

    [Fact]
    public async Task Members_RoleRules()
    {
        var cast = await CastAsync();
        var url = $"/api/projects/{cast.ProjectId}/members/";
        // Nobody sets their own role.
        await (await cast.Admin.Client.PatchAsJsonAsync($"{url}{cast.Admin.Id}/", new { role = "owner" })).ProblemAsync(403);
        await (await cast.Owner.Client.PatchAsJsonAsync($"{url}{cast.Owner.Id}/", new { role = "viewer" })).ProblemAsync(403);
        // Admins neither make owners nor touch them.
        await (await cast.Admin.Client.PatchAsJsonAsync($"{url}{cast.Member.Id}/", new { role = "owner" })).ProblemAsync(403);
        await (await cast.Admin.Client.PatchAsJsonAsync($"{url}{cast.Owner.Id}/", new { role = "member" })).ProblemAsync(403);
        await (await cast.Admin.Client.DeleteAsync($"{url}{cast.Owner.Id}/")).ProblemAsync(403);
        // Bad input.
        await (await cast.Owner.Client.PatchAsJsonAsync($"{url}{cast.Member.Id}/", new { role = "god" })).AssertFieldErrorAsync("role");
        await (await cast.Owner.Client.PatchAsJsonAsync($"{url}{cast.Member.Id}/", new { })).AssertFieldErrorAsync("role");
        await (await cast.Owner.Client.PatchAsJsonAsync($"{url}{cast.Outsider.Id}/", new { role = "admin" })).ProblemAsync(404);
        // Owners may make another owner.
        var promoted = await (await cast.Owner.Client.PatchAsJsonAsync($"{url}{cast.Admin.Id}/", new { role = "owner" })).JsonAsync(200);
        Assert.Equal("owner", (string)promoted["role"]!);
    }

    [Theory]
    [InlineData("owner", 204)]
    [InlineData("admin", 204)]
    [InlineData("member", 403)]
    [InlineData("viewer", 403)]
    [InlineData("outsider", 404)]
    public async Task Members_RemoveOtherByRole(string role, int expected)
    {
        var cast = await CastAsync();
        var target = role == "member" ? cast.Viewer : cast.Member;
        await (await As(cast, role).Client.DeleteAsync($"/api/projects/{cast.ProjectId}/members/{target.Id}/")).EnsureStatusAsync(expected);
        await (await target.Client.GetAsync($"/api/projects/{cast.ProjectId}/")).EnsureStatusAsync(expected == 204 ? 404 : 200);
    }

    [Fact]
    public async Task Members_AnyoneMayLeave_ButNotTheLastOwner()
    {
        var cast = await CastAsync();
        var url = $"/api/projects/{cast.ProjectId}/members/";
        await (await cast.Viewer.Client.DeleteAsync($"{url}{cast.Viewer.Id}/")).EnsureStatusAsync(204);
        await (await cast.Viewer.Client.GetAsync($"/api/projects/{cast.ProjectId}/")).ProblemAsync(404);

        await (await cast.Owner.Client.DeleteAsync($"{url}{cast.Owner.Id}/")).ProblemAsync(409);

        await (await cast.Owner.Client.PatchAsJsonAsync($"{url}{cast.Admin.Id}/", new { role = "owner" })).EnsureStatusAsync(200);
        await (await cast.Owner.Client.DeleteAsync($"{url}{cast.Owner.Id}/")).EnsureStatusAsync(204);
        await (await cast.Owner.Client.GetAsync($"/api/projects/{cast.ProjectId}/")).ProblemAsync(404);
    }

    private static string TrimKey(string key)
    {
        var clean = new string(key.Where(char.IsAsciiLetterOrDigit).ToArray()).ToUpperInvariant();
        return clean.Length > 10 ? clean[..10] : clean;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")]
    private static partial Regex UtcTimestamp();
}
