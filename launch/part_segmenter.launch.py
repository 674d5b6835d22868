"""Launch the RosPartSeg part segmenter node.

ros2 launch rospartseg part_segmenter.launch.py image:=/camera/image_raw namespace:=robot
"""

import os

from ament_index_python.packages import get_package_share_directory
from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument
from launch.substitutions import LaunchConfiguration
from launch_ros.actions import Node


def generate_launch_description():
    share = get_package_share_directory('rospartseg')
    default_params = os.path.join(share, 'config', 'part_segmenter.params.yaml')
    return LaunchDescription([
        DeclareLaunchArgument('image', default_value='image',
                              description='input image topic (remaps the relative name "image")'),
        DeclareLaunchArgument('namespace', default_value='', description='node namespace'),
        DeclareLaunchArgument('node_name', default_value='part_segmenter', description='node name'),
        DeclareLaunchArgument('params_file', default_value=default_params,
                              description='ROS 2 parameters YAML (see docs/node.md)'),
        DeclareLaunchArgument('input_reliability', default_value='best_effort',
                              description='best_effort (matches every camera) or reliable'),
        Node(
            package='rospartseg',
            executable='part_segmenter',
            name=LaunchConfiguration('node_name'),
            namespace=LaunchConfiguration('namespace'),
            parameters=[LaunchConfiguration('params_file'),
                        {'input_reliability': LaunchConfiguration('input_reliability')}],
            remappings=[('image', LaunchConfiguration('image')),
                        ('image/compressed', [LaunchConfiguration('image'), '/compressed'])],
            output='screen',
            # The node writes plain lines (no colours); on a pseudo-terminal the .NET runtime adds keypad escape
            # sequences and CRs to the output, so the launch output stays a pipe.
            emulate_tty=False,
        ),
    ])
