"""Small trade files in the publishers' real formats, shared by the trade tests."""

from __future__ import annotations

from pathlib import Path

# BACI's own layout: header t,i,j,k,v,q; codes numeric; k without its leading zero; v in thousand USD,
# left-padded; q in tonnes, "NA" (padded) where unknown.
BACI_2022 = """t,i,j,k,v,q
2022,156,392,810420,   600.000,   12.500
2022,842,392,810420,   300.000,           NA
2022,490,392,810420,   100.000,
2022,156,699,811292,   250.000,    1.000
2022,392,699,811292,   150.000,    0.600
2022,410,699,811292,   100.000,    0.400
2022,276,699,10121,     40.000,    0.010
2022,36,699,10121,      40.000,    0.020
2022,251,699,10121,     20.000,    0.005
2022,156,842,810420,    50.000,    1.000
"""

BACI_2021 = """t,i,j,k,v,q
2021,156,392,810420,   500.000,   10.000
2021,842,392,810420,   500.000,   10.000
"""

# HS 2022 file: 041010 and 041090 both convert to HS 2017 041000 (UNSD conversion table).
BACI_HS22_2022 = """t,i,j,k,v,q
2022,156,392,41010,   30.000,   1.000
2022,156,392,41090,   20.000,   1.000
2022,764,392,41010,   50.000,   2.000
"""

COMTRADE_COLUMNS = (
    "typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,reporterDesc,flowCode,"
    "flowDesc,partnerCode,partnerISO,partnerDesc,partner2Code,partner2ISO,partner2Desc,classificationCode,"
    "classificationSearchCode,isOriginalClassification,cmdCode,cmdDesc,aggrLevel,isLeaf,customsCode,"
    "customsDesc,mosCode,motCode,motDesc,qtyUnitCode,qtyUnitAbbr,qty,isQtyEstimated,altQtyUnitCode,"
    "altQtyUnitAbbr,altQty,isAltQtyEstimated,netWgt,isNetWgtEstimated,grossWgt,isGrossWgtEstimated,"
    "cifvalue,fobvalue,primaryValue,legacyEstimationFlag,isReported,isAggregate"
)


def comtrade_row(period: str, reporter: int, flow: str, partner: int, cmd: str, value: str, net_kg: str = "",
                 partner2: int = 0, customs: str = "C00", mot: int = 0) -> str:
    year, month = period[:4], (period[4:] or "52")
    names = {156: ("CHN", "China"), 392: ("JPN", "Japan"), 0: ("W00", "World"), 842: ("USA", "USA"),
             699: ("IND", "India"), 410: ("KOR", "Rep. of Korea")}
    r_iso, r_name = names[reporter]
    p_iso, p_name = names[partner]
    description = '"Magnesium; waste and scrap"' if cmd == "810420" else '"Other, incl. n.e.s., items"'
    fields = [
        "C", "M" if len(period) == 6 else "A", period + ("01" if len(period) == 6 else "0101"), year, month,
        period, str(reporter), r_iso, r_name, flow, "Import" if flow == "M" else "Export", str(partner),
        p_iso, p_name, str(partner2), "W00", "World", "H5", "H5", "TRUE", cmd, description,
        str(len(cmd)), "TRUE", customs, "TOTAL CPC", "0", str(mot), "TOTAL MOT", "8", "kg", net_kg, "FALSE",
        "-1", "N/A", "0", "FALSE", net_kg, "FALSE", "0", "FALSE", value, "0", value, "0", "FALSE", "FALSE",
    ]
    return ",".join(fields)


COMTRADE_MONTHLY = "\n".join([
    COMTRADE_COLUMNS,
    comtrade_row("202301", 392, "M", 156, "810420", "700000", "20000"),
    comtrade_row("202301", 392, "M", 842, "810420", "300000.4", ""),
    comtrade_row("202301", 392, "M", 0, "810420", "1000000.4", "20000"),      # World: skipped
    comtrade_row("202301", 392, "M", 156, "8104", "900000", "20000"),         # 4-digit: skipped
    comtrade_row("202301", 392, "RM", 156, "810420", "1234", "1"),            # re-import: skipped
    comtrade_row("202301", 392, "M", 156, "810420", "5", "1", partner2=842),  # breakdown: skipped
    comtrade_row("202302", 392, "M", 156, "810420", "400000", "10000"),
    comtrade_row("202302", 392, "X", 699, "810420", "25000", "500"),
]) + "\n"


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path
