package io.defensebuilders.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The billing bench's verdict: each tenant's invoice preview against totals computed here from the distinct events
 * sent, priced with the pro plan as V3__plans_subscriptions.sql publishes it (written here, not read from billing,
 * and independent of billing's PricingEngine). Prints one table row per tenant.
 */
final class InvoiceCheck {

    private static final BigDecimal PRO_FLAT = new BigDecimal("99.00");
    private static final long PRO_INCLUDED = 100_000;
    private static final long PRO_TIER1_UP_TO = 1_000_000;
    private static final BigDecimal PRO_TIER1 = new BigDecimal("0.0005");
    private static final BigDecimal PRO_TIER2 = new BigDecimal("0.0002");

    /** Every tenant's comparison, and whether all of them equal to the cent. */
    record Verdict(List<Map<String, Object>> rows, boolean pass) {
    }

    private final BillingApi api;
    private final ObjectMapper json;

    InvoiceCheck(BillingApi api, ObjectMapper json) {
        this.api = api;
        this.json = json;
    }

    /** GRADUATED after the included quantity; one HALF_EVEN rounding per line to cents. */
    static BigDecimal proUsage(long calls) {
        long billable = Math.max(0, calls - PRO_INCLUDED);
        long t1 = Math.min(billable, PRO_TIER1_UP_TO);
        long t2 = billable - t1;
        return PRO_TIER1.multiply(BigDecimal.valueOf(t1)).add(PRO_TIER2.multiply(BigDecimal.valueOf(t2)))
                .setScale(2, RoundingMode.HALF_EVEN);
    }

    /** Compares the invoice of each of {@code tenants} with {@code perTenant} distinct events, printing the table. */
    Verdict check(List<String> tenants, long[] perTenant) throws Exception {
        boolean pass = true;
        List<Map<String, Object>> rows = new ArrayList<>();
        System.out.println();
        System.out.println(
                "| tenant | distinct events | expected calls | actual calls | expected usage | actual usage | expected total | actual total | result |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        for (int t = 0; t < tenants.size(); t++) {
            JsonNode inv = json.readTree(api.get("/api/v1/billing/invoices/preview?tenant=" + tenants.get(t)));
            BigDecimal actualQty = BigDecimal.ZERO;
            BigDecimal actualUsage = BigDecimal.ZERO;
            for (JsonNode line : inv.get("lines")) {
                if ("USAGE".equals(line.path("type").asText()) && "api.call".equals(line.path("meter").asText())) {
                    actualQty = actualQty.add(decimal(line.get("quantity")));
                    actualUsage = actualUsage.add(decimal(line.get("amount")));
                }
            }
            BigDecimal actualTotal = decimal(inv.get("total"));
            BigDecimal expUsage = proUsage(perTenant[t]);
            BigDecimal expTotal = PRO_FLAT.add(expUsage);
            boolean ok = actualQty.compareTo(BigDecimal.valueOf(perTenant[t])) == 0
                    && actualUsage.compareTo(expUsage) == 0 && actualTotal.compareTo(expTotal) == 0;
            pass &= ok;
            System.out.printf("| %s | %,d | %,d | %s | %s | %s | %s | %s | %s |%n", tenants.get(t), perTenant[t],
                    perTenant[t], actualQty.toPlainString(), expUsage, actualUsage.toPlainString(), expTotal,
                    actualTotal.toPlainString(), ok ? "PASS" : "FAIL");
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("tenant", tenants.get(t));
            row.put("expectedCalls", perTenant[t]);
            row.put("actualCalls", actualQty);
            row.put("expectedUsage", expUsage);
            row.put("actualUsage", actualUsage);
            row.put("expectedTotal", expTotal);
            row.put("actualTotal", actualTotal);
            row.put("pass", ok);
            rows.add(row);
        }
        System.out.println();
        return new Verdict(rows, pass);
    }

    /**
     * A decimal of the billing API: a JSON string of its exact value (billing's ExactDecimals; decimalValue() of a
     * string node is 0), or a number as before.
     */
    private static BigDecimal decimal(JsonNode node) {
        return node.isNumber() ? node.decimalValue() : new BigDecimal(node.asText());
    }
}
