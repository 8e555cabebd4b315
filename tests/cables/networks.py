"""A small hand-drawn cable network, shared by the tests (worked out by hand in the test docstrings)."""

from __future__ import annotations

from setu.cables import Cable, CableNetwork, LandingStation

STATIONS = {
    "jp1": "JPN", "jp2": "JPN", "in1": "IND", "in2": "IND", "sg1": "SGP", "sg2": "SGP", "us1": "USA",
}


def hand_network() -> CableNetwork:
    """Japan (jp1, jp2), India (in1, in2), Singapore (sg1, sg2), United States (us1).

    A: jp1-sg1 (NEC); B: jp2-sg2-in1 (ASN; owners X, Y); C: sg1-in1 (SubCom); D: sg2-in2 (NEC, SubCom);
    E: jp1-us1 (SubCom); F: jp1-in2 (NEC; owner X).
    """
    stations = {s: LandingStation(s, s.upper(), c, longitude=float(i), latitude=0.0)
                for i, (s, c) in enumerate(STATIONS.items())}
    cables = [
        Cable("a", "A", ("jp1", "sg1"), suppliers=("NEC",), owners=("X",)),
        Cable("b", "B", ("jp2", "sg2", "in1"), suppliers=("ASN",), owners=("X", "Y")),
        Cable("c", "C", ("sg1", "in1"), suppliers=("SubCom",), owners=("Z",)),
        Cable("d", "D", ("sg2", "in2"), suppliers=("NEC", "SubCom"), owners=()),
        Cable("e", "E", ("jp1", "us1"), suppliers=("SubCom",), owners=("X",)),
        Cable("f", "F", ("jp1", "in2"), suppliers=("NEC",), owners=("X",)),
        Cable("p", "P", ("jp2", "in2"), suppliers=("HMN Tech",), planned=True),
    ]
    names = {"JPN": "Japan", "IND": "India", "SGP": "Singapore", "USA": "United States"}
    return CableNetwork({c.id: c for c in cables}, stations, names, source="hand-drawn", year=2022)
