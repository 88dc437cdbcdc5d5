using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Switchboard.Features.Auth;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Features.Auth;

public sealed class AuthTestsOnSqlite(SqliteApp app) : AuthTests(app), IClassFixture<SqliteApp>;

public sealed class AuthTestsOnPostgres(PostgresApp app) : AuthTests(app), IClassFixture<PostgresApp>;

public abstract class AuthTests(SwitchboardApp app)
{
    private Task<HttpResponseMessage> RegisterAsync(object body) => app.CreateClient().PostAsJsonAsync("/api/auth/register/", body);

    [Fact]
    public async Task Register_ValidUser_Returns201WithUserShapeAndNoSecrets()
    {
        var username = app.Unique("reg");
        var response = await RegisterAsync(new { username, email = "a@example.com", password = "a fine passphrase", first_name = "Ada", last_name = "Lovelace" });
        var user = await response.JsonAsync(201);
        Assert.Equal(["id", "username", "email", "first_name", "last_name", "display_name", "avatar_url"], user.Select(p => p.Key).ToArray());
        Assert.Equal(username, (string)user["username"]!);
        Assert.Equal("Ada Lovelace", (string)user["display_name"]!);
        Assert.DoesNotContain("a fine passphrase", user.ToJsonString());
    }

    [Fact]
    public async Task Register_WithoutNames_DisplayNameIsUsername()
    {
        var username = app.Unique("plain");
        var user = await (await RegisterAsync(new { username, email = "p@example.com", password = "a fine passphrase" })).JsonAsync(201);
        Assert.Equal(username, (string)user["display_name"]!);
    }

    [Fact]
    public async Task Register_DuplicateUsernameInOtherCase_Returns409()
    {
        var username = app.Unique("dup");
        await (await RegisterAsync(new { username, email = "d@example.com", password = "a fine passphrase" })).EnsureStatusAsync(201);
        var again = await RegisterAsync(new { username = username.ToUpperInvariant(), email = "e@example.com", password = "another passphrase" });
        await again.ProblemAsync(409);
    }

    [Theory]
    [InlineData("username", "ab", "email@example.com", "a fine passphrase")]
    [InlineData("username", "has space", "email@example.com", "a fine passphrase")]
    [InlineData("username", "<script>", "email@example.com", "a fine passphrase")]
    [InlineData("email", "validname", "not-an-email", "a fine passphrase")]
    [InlineData("password", "validname", "email@example.com", "short")]
    [InlineData("password", "validname", "email@example.com", "1234567890123")]
    [InlineData("password", "validname", "email@example.com", "password123")]
    [InlineData("password", "validname", "email@example.com", "iloveyou")]
    public async Task Register_InvalidField_Returns400NamingTheField(string field, string username, string email, string password)
    {
        var response = await RegisterAsync(new { username = username == "validname" ? app.Unique("v") : username, email, password });
        await response.AssertFieldErrorAsync(field);
    }

    [Fact]
    public async Task Register_MissingFields_Returns400NamingEachField()
    {
        var problem = await (await RegisterAsync(new { })).ProblemAsync(400);
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("username") && errors.ContainsKey("email") && errors.ContainsKey("password"));
    }

    [Fact]
    public async Task Register_UsernameOver150Characters_Returns400()
    {
        var response = await RegisterAsync(new { username = new string('u', 151), email = "l@example.com", password = "a fine passphrase" });
        await response.AssertFieldErrorAsync("username");
    }

    [Fact]
    public async Task Register_FieldsClientMayNotSet_AreIgnored()
    {
        var username = app.Unique("sneaky");
        var response = await RegisterAsync(new { username, email = "s@example.com", password = "a fine passphrase", id = 424242, is_active = false, password_hash = "x" });
        var user = await response.JsonAsync(201);
        Assert.NotEqual(424242, (int)user["id"]!);
        var login = await app.CreateClient().PostAsJsonAsync("/api/auth/token/", new { username, password = "a fine passphrase" });
        await login.EnsureStatusAsync(200);
    }

    [Fact]
    public async Task Token_LongPassword_IsNeverTruncated()
    {
        var username = app.Unique("long");
        var password = new string('x', 150) + "-tail-" + new string('y', 150);
        await (await RegisterAsync(new { username, email = "l@example.com", password })).EnsureStatusAsync(201);
        var client = app.CreateClient();
        await (await client.PostAsJsonAsync("/api/auth/token/", new { username, password })).EnsureStatusAsync(200);
        await (await client.PostAsJsonAsync("/api/auth/token/", new { username, password = password[..^1] })).ProblemAsync(401);
    }

    [Fact]
    public async Task Token_UsernameIsCaseInsensitive()
    {
        var user = await app.CreateUserAsync("casey");
        var response = await app.CreateClient().PostAsJsonAsync("/api/auth/token/", new { username = user.Username.ToUpperInvariant(), password = user.Password });
        var tokens = await response.JsonAsync(200);
        Assert.False(string.IsNullOrEmpty((string?)tokens["access"]));
        Assert.False(string.IsNullOrEmpty((string?)tokens["refresh"]));
    }

    [Fact]
    public async Task Token_WrongPasswordAndUnknownUser_GiveTheSameAnswer()
    {
        var user = await app.CreateUserAsync("victim");
        var client = app.CreateClient();
        var wrong = await (await client.PostAsJsonAsync("/api/auth/token/", new { username = user.Username, password = "not the password" })).ProblemAsync(401);
        var unknown = await (await client.PostAsJsonAsync("/api/auth/token/", new { username = app.Unique("ghost"), password = "not the password" })).ProblemAsync(401);
        Assert.Equal((string)wrong["detail"]!, (string)unknown["detail"]!);
        Assert.Equal((string)wrong["title"]!, (string)unknown["title"]!);
    }

    [Fact]
    public async Task Token_MissingFields_Returns400()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/auth/token/", new { username = "someone" });
        await response.AssertFieldErrorAsync("password");
    }

    [Fact]
    public async Task Refresh_RotatesTheToken_AndTheOldOneIsDead()
    {
        var user = await app.CreateUserAsync("rot");
        var client = app.CreateClient();
        var first = await (await client.PostAsJsonAsync("/api/auth/token/refresh/", new { refresh = user.Refresh })).JsonAsync(200);
        Assert.NotEqual(user.Refresh, (string)first["refresh"]!);

        var me = await (await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/auth/me/")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", (string)first["access"]!) },
        })).JsonAsync(200);
        Assert.Equal(user.Id, (int)me["id"]!);

        // Using the old one again is a replay: refused (and, see SessionsTests, the session ends).
        await (await client.PostAsJsonAsync("/api/auth/token/refresh/", new { refresh = user.Refresh })).ProblemAsync(401);
    }

    [Fact]
    public async Task Refresh_ReplayOfAUsedToken_RevokesTheWholeFamily()
    {
        var user = await app.CreateUserAsync("replay");
        var client = app.CreateClient();
        var rotated = await (await client.PostAsJsonAsync("/api/auth/token/refresh/", new { refresh = user.Refresh })).JsonAsync(200);

        // An attacker replays the stolen, already used token...
        await (await client.PostAsJsonAsync("/api/auth/token/refresh/", new { refresh = user.Refresh })).ProblemAsync(401);
        // ...and so the legitimate newest token of that family is dead too.
        await (await client.PostAsJsonAsync("/api/auth/token/refresh/", new { refresh = (string)rotated["refresh"]! })).ProblemAsync(401);

        // Other logins (families) of the same user are unaffected.
        var other = await (await client.PostAsJsonAsync("/api/auth/token/", new { username = user.Username, password = user.Password })).JsonAsync(200);
        await (await client.PostAsJsonAsync("/api/auth/token/refresh/", new { refresh = (string)other["refresh"]! })).EnsureStatusAsync(200);
    }

    [Fact]
    public async Task Refresh_ConcurrentUseOfOneToken_OnlyOneWins()
    {
        var user = await app.CreateUserAsync("race");
        var attempts = Enumerable.Range(0, 5).Select(_ =>
            app.CreateClient().PostAsJsonAsync("/api/auth/token/refresh/", new { refresh = user.Refresh }));
        var results = await Task.WhenAll(attempts);
        Assert.True(results.Count(r => (int)r.StatusCode == 200) <= 1);
        Assert.All(results, r => Assert.True((int)r.StatusCode is 200 or 401));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("")]
    public async Task Refresh_InvalidToken_Returns4xx(string refresh)
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/auth/token/refresh/", new { refresh });
        Assert.True((int)response.StatusCode is 400 or 401);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Me_ReturnsTheCaller()
    {
        var user = await app.CreateUserAsync("me");
        var me = await (await user.Client.GetAsync("/api/auth/me/")).JsonAsync(200);
        Assert.Equal(user.Username, (string)me["username"]!);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-a-jwt")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Me_WithoutAValidToken_Returns401(string? header)
    {
        var client = app.CreateClient();
        if (header is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);
        }
        // A problem with a detail, like every other error, though the bearer handler writes it.
        await (await client.GetAsync("/api/auth/me/")).ProblemAsync(401);
    }

    [Fact]
    public async Task Me_WithAnExpiredToken_Returns401()
    {
        var user = await app.CreateUserAsync("expired");
        var key = app.Services.GetRequiredService<SigningKey>();
        var past = DateTime.UtcNow.AddHours(-2);
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "switchboard",
            Audience = "switchboard",
            IssuedAt = past,
            NotBefore = past,
            Expires = past.AddMinutes(15),
            Subject = new ClaimsIdentity([new Claim("sub", user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
            SigningCredentials = new SigningCredentials(key.Key, SecurityAlgorithms.HmacSha256),
        });
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await (await client.GetAsync("/api/auth/me/")).EnsureStatusAsync(401);
    }

    [Fact]
    public async Task Me_WithATokenSignedByAnotherKey_Returns401()
    {
        var user = await app.CreateUserAsync("forged");
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "switchboard",
            Audience = "switchboard",
            Expires = DateTime.UtcNow.AddMinutes(10),
            Subject = new ClaimsIdentity([new Claim("sub", user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(new byte[64]), SecurityAlgorithms.HmacSha256),
        });
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await (await client.GetAsync("/api/auth/me/")).EnsureStatusAsync(401);
    }

    [Fact]
    public async Task Users_Search_MatchesUsernameNamesAndEmail()
    {
        var marker = app.Unique("zq");
        var target = await app.CreateUserAsync(marker, firstName: "Grace");
        var caller = await app.CreateUserAsync("searcher");
        var byName = await (await caller.Client.GetAsync($"/api/users/?search={marker.ToUpperInvariant()}")).JsonAsync(200);
        Assert.Contains(byName["results"]!.AsArray(), u => (int)u!["id"]! == target.Id);
        var page = await (await caller.Client.GetAsync("/api/users/?search=example.com&page_size=1")).JsonAsync(200);
        Assert.True((int)page["count"]! >= 2);
        Assert.StartsWith("http://localhost/api/users/?", (string)page["next"]!);
        Assert.Null(page["previous"]);
        Assert.Single(page["results"]!.AsArray());
    }

    [Fact]
    public async Task Users_Anonymous_Returns401()
    {
        await (await app.CreateClient().GetAsync("/api/users/")).EnsureStatusAsync(401);
    }
}
