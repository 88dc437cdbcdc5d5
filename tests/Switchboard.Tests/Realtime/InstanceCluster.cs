using System.Diagnostics;
using System.Net.Sockets;
using Switchboard.Data;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Realtime;

/// <summary>A redis-server of this test's own, so that it can be stopped and started again mid-test.</summary>
public sealed class OwnRedis : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("switchboard-redis").FullName;
    private Process? _process;

    public int Port { get; } = FreePort();

    public string Configuration => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000";

    public void Start()
    {
        _process = Process.Start(new ProcessStartInfo("redis-server",
            $"--port {Port} --bind 127.0.0.1 --save \"\" --appendonly no --dir {_dir}")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new InvalidOperationException("redis-server did not open its port");
    }

    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process = null;
    }

    public void Dispose()
    {
        Stop();
        Directory.Delete(_dir, recursive: true);
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>
/// Server instances sharing one fresh PostgreSQL database, one Redis of their own and one signing
/// key, as behind a load balancer. Every two-instance test class starts its instances here.
/// </summary>
public sealed class InstanceCluster : IDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private readonly List<KestrelApp> _apps = [];

    /// <param name="settings">Configuration every instance of this cluster gets.</param>
    public InstanceCluster(params (string Key, string Value)[] settings)
    {
        Redis.Start();
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = TestDatabases.CreatePostgresDatabase(),
            ["Redis:Configuration"] = Redis.Configuration,
            ["Jwt:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)),
        };
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
    }

    /// <summary>The cluster's Redis: stop and start it to test an outage.</summary>
    public OwnRedis Redis { get; } = new();

    /// <summary>Starts one more instance; <paramref name="extra"/> settings are for this instance only.</summary>
    public KestrelApp Start(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>(_settings);
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        var app = new KestrelApp(DatabaseProvider.Postgres, settings);
        _apps.Add(app);
        return app;
    }

    public void Dispose()
    {
        foreach (var app in _apps)
        {
            app.Dispose();
        }
        Redis.Dispose();
    }
}
