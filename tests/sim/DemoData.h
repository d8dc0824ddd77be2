#pragma once

namespace Sim {

struct SimContext;
class ZohoRecordStore;
class OracleStore;

// Seeded data sets: the international, deliberately messy demo set (--demo) and plain bulk
// records for benchmarks (--contacts/--accounts/--oracle-accounts). Timestamps start at a fixed
// epoch (2026-01-01T00:00:00Z), so the same seed always gives the same data.
class DemoData final
{
public:
    struct Counts
    {
        bool demo = false;
        int contacts = 0;
        int accounts = 0;
        int oracleAccounts = 0;
    };

    static void populate(SimContext& ctx, ZohoRecordStore& zoho, OracleStore& oracle, const Counts& counts);
};

} // namespace Sim
