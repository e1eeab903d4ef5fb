namespace Platform.Identity.Tests;

/// <summary>
/// <c>POST /admin/users/deactivate</c>: a list is applied whole or not at all, with the single-user route's rules and
/// events, and the same user deactivated by several requests at once is announced once.
/// </summary>
public sealed class BulkDeactivationTests(BulkDeactivationApp app) : IClassFixture<BulkDeactivationApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task A_bulk_deactivation_ends_every_named_users_tokens_at_a_resource_server_with_one_audit_record_and_one_event_each()
    {
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        await using var api = await ResourceServerHost.StartAsync(app);
        var users = new List<(Guid Id, Infrastructure.Tokens[] Sessions)>();
        for (var i = 0; i < 3; i++)
        {
            var email = IdentityClient.NewEmail();
            var user = await _client.SignUpAsync(email);
            users.Add((user.Id, [await _client.LoginAsync(email), await _client.LoginAsync(email)]));
        }

        var inactive = await _client.SignUpAsync(IdentityClient.NewEmail());
        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Post, $"/admin/users/{inactive.Id}/deactivate", admin)).StatusCode);
        var tokens = users.SelectMany(u => u.Sessions).ToList();
        foreach (var token in tokens)
            Assert.Equal(HttpStatusCode.OK, await api.StatusWithAsync(token.AccessToken));
        var ids = users.Select(u => u.Id).Append(inactive.Id).ToArray();
        var stampsBefore = await StampsAsync(ids);

        var response = await _client.SendAsync(HttpMethod.Post, "/admin/users/deactivate", admin, new { ids, reason = "offboarding acme" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(users.Select(u => u.Id), body.GetProperty("deactivated").EnumerateArray().Select(e => e.GetGuid()));
        Assert.Equal([inactive.Id], body.GetProperty("alreadyInactive").EnumerateArray().Select(e => e.GetGuid()));
        await Eventually.HoldsAsync(async () => (await Task.WhenAll(tokens.Select(t => api.StatusWithAsync(t.AccessToken))))
            .All(status => status == HttpStatusCode.Unauthorized), "every token of the deactivated users refused at the resource server");
        foreach (var token in tokens)
            Assert.Equal(HttpStatusCode.Unauthorized, (await _client.PostAsJsonAsync("/auth/refresh", new { refreshToken = token.RefreshToken })).StatusCode);

        var (audits, deactivations, revocations) = await RecordsAsync(ids);
        Assert.Equal(ids.Order(), audits.Where(a => a.Reason == "offboarding acme").Select(a => a.TargetUserId!.Value).Order());
        // The inactive user's one event is from its own deactivation, before the list.
        Assert.Equal(users.Select(u => u.Id).Append(inactive.Id).Order(), deactivations.Select(e => e.UserId).Order());
        Assert.Equal(users.Select(u => u.Id).Order(), deactivations.Where(e => e.Reason == "offboarding acme").Select(e => e.UserId).Order());
        Assert.Equal(tokens.Select(t => Guid.Parse(Jwks.Read(t.AccessToken).GetClaim("sid").Value)).Order(), revocations.Select(e => e.SessionId).Order());
        Assert.All(revocations, e => Assert.Equal(SessionRevokedReasons.Deactivated, e.Reason));
        foreach (var user in users)
            await app.Events.WaitForAsync<UserDeactivated>(e => e.UserId == user.Id);
        // Every stamp renewed, each to a value of its own: sessions are bound to the stamp.
        var stampsAfter = await StampsAsync(ids);
        Assert.All(users, u => Assert.NotEqual(stampsBefore[u.Id], stampsAfter[u.Id]));
        Assert.Equal(stampsAfter.Count, stampsAfter.Values.Distinct().Count());
        Assert.Equal(stampsBefore[inactive.Id], stampsAfter[inactive.Id]);
    }

    [Fact]
    public async Task Unknown_duplicate_empty_and_over_long_lists_answer_400_naming_the_offending_ids_and_change_nothing()
    {
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        var (user, tokens) = await _client.NewUserAsync();
        var other = (await app.SeedUsersAsync(1))[0];
        var unknown = Enumerable.Range(0, 25).Select(_ => Guid.NewGuid()).ToArray();
        var tooMany = (await app.SeedUsersAsync(BulkDeactivationApp.MaxBulkDeactivation + 1));

        var withUnknown = await DeactivateAsync(admin, [user.Id, unknown[0], other, unknown[1]]);
        var withManyUnknown = await DeactivateAsync(admin, [user.Id, .. unknown]);
        var withDuplicates = await DeactivateAsync(admin, [user.Id, other, user.Id]);
        var empty = await DeactivateAsync(admin, []);
        var missing = await _client.SendAsync(HttpMethod.Post, "/admin/users/deactivate", admin, new { reason = "no list" });
        var overMax = await DeactivateAsync(admin, tooMany);
        var notIds = await _client.SendAsync(HttpMethod.Post, "/admin/users/deactivate", admin, new { ids = new[] { "not-a-guid" } });
        var longReason = await _client.SendAsync(HttpMethod.Post, "/admin/users/deactivate", admin, new { ids = new[] { user.Id }, reason = new string('x', 501) });

        Assert.Equal($"No user has these ids; nothing was deactivated (2): {unknown[0]}, {unknown[1]}.", await IdsErrorAsync(withUnknown));
        var many = await IdsErrorAsync(withManyUnknown);
        Assert.Contains("(25): " + string.Join(", ", unknown.Take(Platform.Identity.Apis.AdminBulkDeactivationApi.MaxIdsShown)) + " and 5 more.", many, StringComparison.Ordinal);
        Assert.DoesNotContain(unknown[^1].ToString(), many, StringComparison.Ordinal);
        Assert.Equal($"'ids' names these users more than once (1): {user.Id}.", await IdsErrorAsync(withDuplicates));
        Assert.Contains("at least one", await IdsErrorAsync(empty), StringComparison.Ordinal);
        Assert.Contains("at least one", await IdsErrorAsync(missing), StringComparison.Ordinal);
        Assert.Contains($"names {BulkDeactivationApp.MaxBulkDeactivation + 1} users; at most {BulkDeactivationApp.MaxBulkDeactivation}",
            await IdsErrorAsync(overMax), StringComparison.Ordinal);
        await notIds.AssertProblemAsync(HttpStatusCode.BadRequest);
        await longReason.AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(HttpMethod.Get, "/users/me", tokens.AccessToken)).StatusCode);
        var (audits, deactivations, revocations) = await RecordsAsync([user.Id, other, .. tooMany]);
        Assert.Empty(audits);
        Assert.Empty(deactivations);
        Assert.Empty(revocations);
        Assert.Equal(tooMany.Length + 2, await ActiveCountAsync([user.Id, other, .. tooMany]));
    }

    [Fact]
    public async Task An_operator_naming_itself_gets_409_and_nothing_of_the_list_is_applied()
    {
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        var self = (await (await _client.SendAsync(HttpMethod.Get, "/users/me", admin)).JsonAsync()).GetProperty("id").GetGuid();
        var others = await app.SeedUsersAsync(2);

        var response = await DeactivateAsync(admin, [others[0], self, others[1]]);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("cannot deactivate itself", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, await ActiveCountAsync([self, .. others]));
        Assert.Empty((await RecordsAsync(others)).Audits);
    }

    [Fact]
    public async Task Two_operators_deactivating_each_other_in_bulk_at_once_leave_one_of_them_and_apply_only_the_winners_list()
    {
        var bootstrap = (await _client.LoginAdminAsync()).AccessToken;
        for (var round = 0; round < 10; round++)
        {
            var a = await NewOperatorAsync(bootstrap);
            var b = await NewOperatorAsync(bootstrap);
            var bystanders = await app.SeedUsersAsync(2);

            var answers = await Task.WhenAll(DeactivateAsync(a.Token, [bystanders[0], b.Id]), DeactivateAsync(b.Token, [bystanders[1], a.Id]));

            Assert.Single(answers, r => r.StatusCode == HttpStatusCode.OK);
            // The loser's token is refused outright, or its request waited on the lock and found its caller gone.
            Assert.Single(answers, r => r.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized);
            var winner = answers[0].StatusCode == HttpStatusCode.OK ? 0 : 1;
            Assert.Equal(1, await ActiveCountAsync([a.Id, b.Id]));
            Assert.Equal(1, await ActiveCountAsync(bystanders));
            Assert.Equal(1, await ActiveCountAsync([bystanders[1 - winner]]));
        }
    }

    /// <summary>
    /// Two bulk requests (in opposite orders) and two single-user requests deactivate the same users at once, round
    /// after round; each user is announced exactly once, and no request deadlocks or fails.
    /// </summary>
    [Fact]
    public async Task The_same_users_deactivated_by_bulk_and_single_requests_at_once_are_announced_exactly_once_each()
    {
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        var all = new List<Guid>();
        for (var round = 0; round < 200; round++)
        {
            var ids = await app.SeedUsersAsync(3);
            all.AddRange(ids);

            var answers = await Task.WhenAll(
                DeactivateAsync(admin, ids),
                DeactivateAsync(admin, [.. ids.Reverse()]),
                _client.SendAsync(HttpMethod.Post, $"/admin/users/{ids[0]}/deactivate", admin),
                _client.SendAsync(HttpMethod.Post, $"/admin/users/{ids[2]}/deactivate", admin));

            Assert.All(answers, r => Assert.True(r.IsSuccessStatusCode, $"round {round}: {(int)r.StatusCode}"));
            var reported = (await Task.WhenAll(answers.Take(2).Select(r => r.JsonAsync())))
                .SelectMany(b => b.GetProperty("deactivated").EnumerateArray().Select(e => e.GetGuid())).ToList();
            Assert.True(reported.Count <= ids.Length && reported.Distinct().Count() == reported.Count, $"round {round}: users reported deactivated twice");
        }

        var (audits, deactivations, _) = await RecordsAsync([.. all]);
        Assert.Equal(all.Order(), deactivations.Select(e => e.UserId).Order());
        // One record per user and request that named it: both bulk requests, and one single request for two of the three.
        Assert.Equal(all.Count / 3 * 8, audits.Count);
    }

    [Fact]
    public async Task A_list_longer_than_the_servers_body_limit_is_read_up_to_the_configured_maximum_and_other_routes_keep_the_limit()
    {
        // 1,000 ids are about 39 KB of JSON, over the 16 KB every other route of Identity accepts.
        using var larger = app.WithWebHostBuilder(builder => builder.UseSetting("Identity:Admin:MaxBulkDeactivation", "1000"));
        using var client = larger.CreateClient();
        var admin = (await client.LoginAdminAsync()).AccessToken;
        var unknown = Enumerable.Range(0, 1000).Select(_ => Guid.NewGuid()).ToArray();

        var bulk = await client.SendAsync(HttpMethod.Post, "/admin/users/deactivate", admin, new { ids = unknown });
        var signUp = await client.SendAsync(HttpMethod.Post, "/users", null, new { email = IdentityClient.NewEmail(), password = IdentityClient.Password, displayName = string.Join(",", unknown) });

        Assert.StartsWith("No user has these ids; nothing was deactivated (1000): ", await IdsErrorAsync(bulk), StringComparison.Ordinal);
        await signUp.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100001")]
    public void A_bulk_maximum_out_of_range_refuses_to_start_with_a_clear_message(string maximum)
    {
        using var misconfigured = app.WithWebHostBuilder(builder => builder.UseSetting("Identity:Admin:MaxBulkDeactivation", maximum));

        var error = Assert.ThrowsAny<Exception>(() => misconfigured.Server);

        Assert.Contains("Identity:Admin:MaxBulkDeactivation must be between 1 and 100000", error.ToString(), StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> DeactivateAsync(string admin, Guid[] ids) =>
        _client.SendAsync(HttpMethod.Post, "/admin/users/deactivate", admin, new { ids });

    private static async Task<string> IdsErrorAsync(HttpResponseMessage response)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        return problem.GetProperty("errors").GetProperty("ids")[0].GetString()!;
    }

    private async Task<(string Email, Guid Id, string Token)> NewOperatorAsync(string admin)
    {
        var email = IdentityClient.NewEmail();
        var user = await _client.SignUpAsync(email);
        Assert.Equal(HttpStatusCode.NoContent,
            (await _client.SendAsync(HttpMethod.Put, $"/admin/users/{user.Id}/roles", admin, new { roles = new[] { "admin" } })).StatusCode);
        return (email, user.Id, (await _client.LoginOperatorAsync(email)).AccessToken);
    }

    private async Task<Dictionary<Guid, string?>> StampsAsync(Guid[] ids)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IdentityDb>().Users.Where(u => ids.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.SecurityStamp);
    }

    private async Task<int> ActiveCountAsync(Guid[] ids)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IdentityDb>().Users.CountAsync(u => ids.Contains(u.Id) && u.IsActive);
    }

    /// <summary>The audit records and the events written to the outbox (what the dispatcher publishes) about these users.</summary>
    private async Task<(List<AuditRecord> Audits, List<UserDeactivated> Deactivations, List<SessionRevoked> Revocations)> RecordsAsync(Guid[] ids)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var audits = await db.AuditRecords.Where(a => a.TargetUserId != null && ids.Contains(a.TargetUserId.Value) && a.Action == "deactivate").ToListAsync();
        var rows = await db.OutboxMessages.Where(m => m.Type == nameof(UserDeactivated) || m.Type == nameof(SessionRevoked)).ToListAsync();
        var wanted = ids.ToHashSet();
        var deactivations = rows.Where(r => r.Type == nameof(UserDeactivated)).Select(r => JsonSerializer.Deserialize<UserDeactivated>(r.Payload)!)
            .Where(e => wanted.Contains(e.UserId)).ToList();
        var revocations = rows.Where(r => r.Type == nameof(SessionRevoked)).Select(r => JsonSerializer.Deserialize<SessionRevoked>(r.Payload)!)
            .Where(e => wanted.Contains(e.UserId)).ToList();
        return (audits, deactivations, revocations);
    }
}
