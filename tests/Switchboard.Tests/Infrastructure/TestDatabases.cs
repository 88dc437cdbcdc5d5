using Npgsql;
using Switchboard.Data;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// Where the PostgreSQL and Redis servers started by scripts/test.sh are. Under CI=true a missing
/// server is a failure, never a skip.
/// </summary>
public static class TestDatabases
{
    public static string PostgresServer =>
        Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_POSTGRES")
        ?? throw new InvalidOperationException(
            "SWITCHBOARD_TEST_POSTGRES is not set. Run ./scripts/test.sh, which starts a throwaway PostgreSQL and Redis.");

    public static string RedisServer =>
        Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_REDIS")
        ?? throw new InvalidOperationException(
            "SWITCHBOARD_TEST_REDIS is not set. Run ./scripts/test.sh, which starts a throwaway PostgreSQL and Redis.");

    /// <summary>The three-node Redis Cluster's nodes, comma separated (host:port,host:port,...).</summary>
    public static string RedisClusterNodes =>
        Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_REDIS_CLUSTER")
        ?? throw new InvalidOperationException(
            "SWITCHBOARD_TEST_REDIS_CLUSTER is not set. Run ./scripts/test.sh, which starts a throwaway three-node Redis Cluster.");

    /// <summary>Creates an empty database of its own for one test fixture.</summary>
    public static string CreatePostgresDatabase()
    {
        var name = "sb_" + Guid.NewGuid().ToString("N")[..16];
        using (var connection = new NpgsqlConnection(PostgresServer + ";Database=postgres"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE {name}";
            command.ExecuteNonQuery();
        }
        return $"{PostgresServer};Database={name};Maximum Pool Size=30";
    }
}
