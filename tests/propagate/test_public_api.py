import setu.propagate


def test_exported_names():
    assert sorted(setu.propagate.__all__) == sorted(
        [
            "DENSE_MAX_ORDER",
            "SPARSE_MAX_DENSITY",
            "Factorisation",
            "GhoshModel",
            "IOTable",
            "InoperabilityModel",
            "LeontiefModel",
            "Linkages",
            "OutputCut",
            "allocation_coefficients",
            "choose_method",
            "cut_each_output",
            "cut_output",
            "flows_from_coefficients",
            "ghosh_inverse",
            "interdependency_matrix",
            "leontief_inverse",
            "linkages",
            "match_name",
            "primary_inputs",
            "spectral_radius",
            "technical_coefficients",
            "total_output",
        ]
    )
    for name in setu.propagate.__all__:
        assert getattr(setu.propagate, name) is not None
