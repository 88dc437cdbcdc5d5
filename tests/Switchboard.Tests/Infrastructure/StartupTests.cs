using Switchboard.Data;

namespace Switchboard.Tests.Infrastructure;

public sealed class StartupTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task InstancesStartingTogetherOnAFreshDatabase_AllMigrateAndServe(DatabaseProvider provider)
    {
        var dataDir = Directory.CreateTempSubdirectory("switchboard-startup").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = provider == DatabaseProvider.Postgres
                ? TestDatabases.CreatePostgresDatabase()
                : $"Data Source={Path.Combine(dataDir, "shared.db")}",
        };
        var apps = Enumerable.Range(0, 3).Select(_ => new SwitchboardApp(provider, settings)).ToList();
        try
        {
            // Touching Services starts each host, which migrates; all three at the same moment.
            await Task.WhenAll(apps.Select(app => Task.Run(() => app.Services)));
            foreach (var app in apps)
            {
                await (await app.CreateClient().GetAsync("/health/ready")).EnsureStatusAsync(200);
            }
            var user = await apps[0].CreateUserAsync("shared");
            var me = await apps[2].CreateClient().PostAsync("/api/auth/token/", System.Net.Http.Json.JsonContent.Create(new { username = user.Username, password = user.Password }));
            await me.EnsureStatusAsync(200);
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }
    }
}
